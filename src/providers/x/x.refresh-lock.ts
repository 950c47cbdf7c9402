import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * Serialises token refreshes of one channel across every instance. X rotates the refresh token
 * on each use, so two concurrent refreshes with the same token would leave one of them refused
 * and the channel wrongly marked as failing authentication.
 */
@Injectable()
export class XRefreshLock {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` holding a transaction-scoped Postgres advisory lock for the channel. */
  run<T>(channelId: string, work: () => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`x.oauth.refresh:${channelId}`]);
      return work();
    });
  }
}
