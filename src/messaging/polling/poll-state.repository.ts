import { Injectable } from '@nestjs/common';
import { Transactions } from '../../database/transactions';

const POLL_STATE_KEY = 'poll';

/** Where a pull provider's channel is in its polling, kept as the channel's `poll` row of `provider_state`. */
export interface PollState {
  cursor?: string | null;
  /** ISO time before which the channel is not polled again. */
  nextAt?: string;
  failures?: number;
}

/** The `poll` rows of `provider_state`: the poll cursor and schedule of each channel of a pull provider. */
@Injectable()
export class PollStateRepository {
  constructor(private readonly transactions: Transactions) {}

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
