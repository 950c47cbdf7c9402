import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

const BUDGET_KEY = 'send.budget';

/**
 * Keeps each channel under its provider's documented send rate (capabilities.maxSendsPerSecond),
 * across all instances: a per-channel counter for the current second, kept in provider_state and
 * taken with one atomic upsert on the database's clock.
 */
@Injectable()
export class ChannelSendBudget {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** 0 when the channel may send now; otherwise how many milliseconds to wait for the next second. */
  async take(channelId: string, perSecond: number): Promise<number> {
    const [{ count, wait_ms: waitMs }] = await this.dataSource.query<{ count: number; wait_ms: number }[]>(
      `WITH clock AS (SELECT extract(epoch FROM clock_timestamp()) AS now)
       INSERT INTO provider_state (channel_id, key, value)
       SELECT $1, $2, jsonb_build_object('second', floor(now)::bigint, 'count', 1) FROM clock
       ON CONFLICT (channel_id, key) DO UPDATE SET updated_at = now(), value =
         CASE WHEN (provider_state.value->>'second')::bigint = (SELECT floor(now)::bigint FROM clock)
              THEN jsonb_set(provider_state.value, '{count}', to_jsonb((provider_state.value->>'count')::int + 1))
              ELSE jsonb_build_object('second', (SELECT floor(now)::bigint FROM clock), 'count', 1) END
       RETURNING (value->>'count')::int AS count,
                 ceil(((SELECT floor(now) + 1 FROM clock) - (SELECT now FROM clock)) * 1000)::int AS wait_ms`,
      [channelId, BUDGET_KEY],
    );
    return count <= perSecond ? 0 : waitMs;
  }
}
