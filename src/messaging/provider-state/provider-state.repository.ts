import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SecretBox } from '../../common/crypto/secret-box';
import { Transactions } from '../../database/transactions';
import { ProviderStateStore } from '../contracts/provider-state-store';

const POLL_STATE_KEY = 'poll';

/** Where a pull provider's channel is in its polling, kept as the channel's `poll` row of `provider_state`. */
export interface PollState {
  cursor?: string | null;
  /** ISO time before which the channel is not polled again. */
  nextAt?: string;
  failures?: number;
}

/**
 * The only reader and writer of `provider_state`: what providers keep per channel (tokens, cursors),
 * the outbox's per-channel send budgets, and the poll state of pull channels.
 */
@Injectable()
export class ProviderStateRepository implements ProviderStateStore {
  constructor(
    private readonly transactions: Transactions,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly secretBox: SecretBox,
  ) {}

  async getSecret(channelId: string, key: string): Promise<string | undefined> {
    const sealed = await this.get<string>(channelId, key);
    return sealed === undefined ? undefined : this.secretBox.decrypt(sealed);
  }

  async setSecret(channelId: string, key: string, secret: string, expiresAt: Date | null = null): Promise<void> {
    await this.set(channelId, key, this.secretBox.encrypt(secret), expiresAt);
  }

  async get<T>(channelId: string, key: string): Promise<T | undefined> {
    const [row] = await this.transactions.manager.query<{ value: T }[]>(
      `SELECT value FROM provider_state WHERE channel_id = $1 AND key = $2 AND (expires_at IS NULL OR expires_at > now())`,
      [channelId, key],
    );
    return row?.value;
  }

  async set(channelId: string, key: string, value: unknown, expiresAt: Date | null = null): Promise<void> {
    await this.transactions.manager.query(
      `INSERT INTO provider_state (channel_id, key, value, expires_at) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (channel_id, key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at, updated_at = now()`,
      [channelId, key, JSON.stringify(value), expiresAt],
    );
  }

  async delete(channelId: string, key: string): Promise<void> {
    await this.transactions.manager.query(`DELETE FROM provider_state WHERE channel_id = $1 AND key = $2`, [
      channelId,
      key,
    ]);
  }

  /**
   * A transaction-scoped Postgres advisory lock on the channel and key, held while `work` runs. The
   * lock has a transaction of its own, not the unit of work: what `work` writes (a rotated refresh
   * token) is committed as it goes, and kept even if a later step fails.
   */
  withExclusiveLock<T>(channelId: string, key: string, work: () => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (lockHolder) => {
      await lockHolder.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`${key}:${channelId}`]);
      return work();
    });
  }

  // The outbox: send budgets, a counter for the current second on the database's clock, shared by every instance.

  /** Takes one send from this second's budget: 0 when within `perSecond`, else the milliseconds until the next second. */
  async takeSendBudget(channelId: string, key: string, perSecond: number): Promise<number> {
    const [{ waitMs }] = await this.transactions.manager.query<{ waitMs: number }[]>(
      `WITH clock AS (SELECT extract(epoch FROM clock_timestamp()) AS now),
       taken AS (
         INSERT INTO provider_state (channel_id, key, value)
         SELECT $1, $2, jsonb_build_object('second', floor(now)::bigint, 'count', 1) FROM clock
         ON CONFLICT (channel_id, key) DO UPDATE SET updated_at = now(), value =
           CASE WHEN (provider_state.value->>'second')::bigint = (SELECT floor(now)::bigint FROM clock)
                THEN jsonb_set(provider_state.value, '{count}', to_jsonb((provider_state.value->>'count')::int + 1))
                ELSE jsonb_build_object('second', (SELECT floor(now)::bigint FROM clock), 'count', 1) END
         RETURNING (value->>'count')::int AS count)
       SELECT CASE WHEN taken.count <= $3 THEN 0
                   ELSE ceil((floor(clock.now) + 1 - clock.now) * 1000)::int END AS "waitMs"
         FROM taken, clock`,
      [channelId, key, perSecond],
    );
    return waitMs;
  }

  // Polling: the `poll` row of each channel of a pull provider.

  /**
   * Runs `poll` on the channel's poll state while holding its row (FOR UPDATE SKIP LOCKED), so only
   * one instance polls a channel at a time, then stores the state `poll` answers (undefined keeps
   * it). The lock lives in a transaction of its own, which `poll`'s own statements do not join: what
   * a poll stores commits before the cursor moves. Nothing runs while another instance holds the row.
   */
  async whileLocked(channelId: string, poll: (state: PollState) => Promise<PollState | undefined>): Promise<void> {
    const manager = this.transactions.manager;
    await manager.query(
      `INSERT INTO provider_state (channel_id, key, value) VALUES ($1, $2, '{}') ON CONFLICT DO NOTHING`,
      [channelId, POLL_STATE_KEY],
    );
    await manager.transaction(async (locked) => {
      const [row] = await locked.query<{ value: PollState }[]>(
        `SELECT value FROM provider_state WHERE channel_id = $1 AND key = $2 FOR UPDATE SKIP LOCKED`,
        [channelId, POLL_STATE_KEY],
      );
      if (!row) return;
      const next = await poll(row.value);
      if (!next) return;
      await locked.query(
        `UPDATE provider_state SET value = $3::jsonb, updated_at = now() WHERE channel_id = $1 AND key = $2`,
        [channelId, POLL_STATE_KEY, JSON.stringify(next)],
      );
    });
  }
}
