import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SecretBox } from '../../common/crypto/secret-box';

/**
 * What a provider remembers per channel between calls: poll cursors, cached access tokens.
 * Credentials go through getSecret/setSecret, which keep them encrypted at rest.
 */
@Injectable()
export class ProviderStateStore {
  constructor(
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

  /** The value, or undefined when absent or expired. */
  async get<T>(
    channelId: string,
    key: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<T | undefined> {
    const [row] = await manager.query<{ value: T }[]>(
      `SELECT value FROM provider_state WHERE channel_id = $1 AND key = $2 AND (expires_at IS NULL OR expires_at > now())`,
      [channelId, key],
    );
    return row?.value;
  }

  async set(
    channelId: string,
    key: string,
    value: unknown,
    expiresAt: Date | null = null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO provider_state (channel_id, key, value, expires_at) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (channel_id, key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at, updated_at = now()`,
      [channelId, key, JSON.stringify(value), expiresAt],
    );
  }

  async delete(channelId: string, key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM provider_state WHERE channel_id = $1 AND key = $2`, [channelId, key]);
  }
}
