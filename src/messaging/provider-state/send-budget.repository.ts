import { Injectable } from '@nestjs/common';
import { Transactions } from '../../database/transactions';

/**
 * The send budgets kept in `provider_state` (one row per channel and key): a counter for the current
 * second, taken with one atomic upsert on the database's clock, so every instance shares it.
 */
@Injectable()
export class SendBudgetRepository {
  constructor(private readonly transactions: Transactions) {}

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
}
