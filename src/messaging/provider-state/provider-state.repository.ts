import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SecretBox } from '../../common/crypto/secret-box';
import { Transactions } from '../../database/transactions';
import { ProviderStateStore } from '../contracts/provider-state-store';

/** The `provider_state` table, as providers use it: the only code that reads and writes it for them. */
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
}
