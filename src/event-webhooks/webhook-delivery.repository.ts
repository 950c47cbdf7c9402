import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';
import type { WebhookEventType } from './webhook-event-types';

/** A delivery the fan-out decided on: one event for one subscription. */
export interface PlannedDelivery {
  subscriptionId: string;
  /** For a paused subscription: stored, but not due until it is resumed. */
  held: boolean;
  eventId: string;
  type: WebhookEventType;
  occurredAt: Date;
  data: Record<string, unknown>;
}

/** The only reader and writer of `webhook_deliveries`. */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly transactions: Transactions) {}

  // Events: the fan-out queues deliveries; the cleanup trims the log.

  /** Queues the deliveries, due now unless held; one already queued for its event and subscription is left as it is. */
  async insertPlanned(planned: PlannedDelivery[]): Promise<void> {
    await this.transactions.manager.query(
      `INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, occurred_at, payload, next_attempt_at)
       SELECT subscription_id, event_id, event_type, occurred_at, payload, CASE WHEN held THEN NULL ELSE now() END
         FROM unnest($1::uuid[], $2::bigint[], $3::varchar[], $4::timestamptz[], $5::jsonb[], $6::boolean[])
              AS planned (subscription_id, event_id, event_type, occurred_at, payload, held)
       ON CONFLICT (subscription_id, event_id) DO NOTHING`,
      [
        planned.map((delivery) => delivery.subscriptionId),
        planned.map((delivery) => delivery.eventId),
        planned.map((delivery) => delivery.type),
        planned.map((delivery) => delivery.occurredAt.toISOString()),
        planned.map((delivery) => JSON.stringify(delivery.data)),
        planned.map((delivery) => delivery.held),
      ],
    );
  }

  /** Deletes delivered and failed deliveries last changed more than `ageMs` ago; resolves to how many. */
  async deleteSettledOlderThan(ageMs: number): Promise<number> {
    const [, deleted] = await this.transactions.manager.query<[unknown[], number]>(
      `DELETE FROM webhook_deliveries
        WHERE status IN ('delivered', 'failed') AND updated_at < now() - make_interval(secs => $1::float / 1000)`,
      [ageMs],
    );
    return deleted;
  }
}
