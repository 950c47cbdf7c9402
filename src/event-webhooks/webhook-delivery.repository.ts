import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';
import type { WebhookEventType } from '../messaging/events/chat-event-catalogue';
import type { WebhookDeliveryStatus } from './webhook-delivery.entity';

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

/** A delivery claimed for one attempt, with its subscription's URL and sealed secret. */
export interface ClaimedDelivery {
  id: string;
  attempts: number;
  /** How long ago it was queued (or replayed), when claimed. */
  ageMs: number;
  subscriptionId: string;
  url: string;
  secret: string;
  eventType: string;
  occurredAt: Date;
  payload: Record<string, unknown>;
}

/** Which attempt of which delivery a settle is for: it changes nothing once a newer attempt took over. */
export interface DeliveryAttempt {
  id: string;
  attempts: number;
}

export interface FailedDeliveryAttempt {
  statusCode: number | null;
  error: string;
  /** When to try again; null holds the delivery (its subscription is paused) or, given up, ends it. */
  retryInMs: number | null;
  givenUp: boolean;
}

/** One row of a subscription's delivery log. */
export interface DeliveryLogRow {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: WebhookEventType;
  occurredAt: Date;
  payload: Record<string, unknown>;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The only reader and writer of `webhook_deliveries`. */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly transactions: Transactions) {}

  // Admin: the delivery log.

  /** A subscription's deliveries, newest first, optionally of one status. */
  async pageBySubscription(
    subscriptionId: string,
    status: WebhookDeliveryStatus | null,
    limit: number,
  ): Promise<DeliveryLogRow[]> {
    return this.transactions.manager.query<DeliveryLogRow[]>(
      `SELECT id, subscription_id AS "subscriptionId", event_id::text AS "eventId", event_type AS "eventType",
              occurred_at AS "occurredAt", payload, status, attempts, next_attempt_at AS "nextAttemptAt",
              last_attempt_at AS "lastAttemptAt", last_status_code AS "lastStatusCode", last_error AS "lastError",
              delivered_at AS "deliveredAt", created_at AS "createdAt", updated_at AS "updatedAt"
         FROM webhook_deliveries
        WHERE subscription_id = $1 AND ($2::varchar IS NULL OR status = $2)
        ORDER BY created_at DESC, event_id DESC
        LIMIT $3`,
      [subscriptionId, status, limit],
    );
  }

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

  // The work queue's event-webhook source; holding, releasing and replaying deliveries.

  /** Leases up to `limit` due deliveries of active subscriptions; a lapsed lease is due again. */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [claimed] = await this.transactions.manager.query<[ClaimedDelivery[], number]>(
      `WITH due AS (
         SELECT d.id FROM webhook_deliveries d
          WHERE d.status = 'pending' AND d.next_attempt_at <= now()
            AND EXISTS (SELECT 1 FROM webhook_subscriptions s WHERE s.id = d.subscription_id AND s.active)
          ORDER BY d.next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE webhook_deliveries d
          SET attempts = d.attempts + 1, last_attempt_at = now(), updated_at = now(),
              next_attempt_at = now() + make_interval(secs => $2::float / 1000)
         FROM due, webhook_subscriptions s
        WHERE d.id = due.id AND s.id = d.subscription_id
       RETURNING d.id, d.attempts, (extract(epoch FROM now() - d.queued_at) * 1000)::float8 AS "ageMs",
                 d.subscription_id AS "subscriptionId", s.url, s.secret, d.event_type AS "eventType",
                 d.occurred_at AS "occurredAt", d.payload`,
      [limit, leaseMs],
    );
    return claimed;
  }

  /** False when a newer attempt took over. */
  async settleDelivered(attempt: DeliveryAttempt, statusCode: number): Promise<boolean> {
    const [, settled] = await this.transactions.manager.query<[unknown[], number]>(
      `UPDATE webhook_deliveries
          SET status = 'delivered', delivered_at = now(), next_attempt_at = NULL, last_status_code = $3,
              last_error = NULL, updated_at = now()
        WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
      [attempt.id, attempt.attempts, statusCode],
    );
    return settled > 0;
  }

  /** Records a failed attempt: retried later, held, or failed for good. False when a newer attempt took over. */
  async settleFailedAttempt(attempt: DeliveryAttempt, failed: FailedDeliveryAttempt): Promise<boolean> {
    const [, settled] = await this.transactions.manager.query<[unknown[], number]>(
      `UPDATE webhook_deliveries
          SET status = CASE WHEN $6::boolean THEN 'failed' ELSE 'pending' END,
              next_attempt_at = now() + make_interval(secs => $5::float / 1000),
              last_status_code = $3, last_error = $4, updated_at = now()
        WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
      [attempt.id, attempt.attempts, failed.statusCode, failed.error, failed.retryInMs, failed.givenUp],
    );
    return settled > 0;
  }

  /** The subscription's pending deliveries get no next attempt, so claims skip them however many pile up. */
  async holdPending(subscriptionId: string): Promise<void> {
    await this.transactions.manager.query(
      `UPDATE webhook_deliveries SET next_attempt_at = NULL, updated_at = now() WHERE subscription_id = $1 AND status = 'pending'`,
      [subscriptionId],
    );
  }

  /** The subscription's pending deliveries are due now. */
  async releaseHeld(subscriptionId: string): Promise<void> {
    await this.transactions.manager.query(
      `UPDATE webhook_deliveries SET next_attempt_at = now(), updated_at = now() WHERE subscription_id = $1 AND status = 'pending'`,
      [subscriptionId],
    );
  }

  /** The delivery's subscription and whether it is active; undefined when there is no such delivery. */
  async findSubscriptionOf(deliveryId: string): Promise<{ subscriptionId: string; active: boolean } | undefined> {
    const [found] = await this.transactions.manager.query<{ subscriptionId: string; active: boolean }[]>(
      `SELECT s.id AS "subscriptionId", s.active
         FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id WHERE d.id = $1`,
      [deliveryId],
    );
    return found;
  }

  /**
   * Queues a delivery again, due now. A delivered or failed one starts over (attempts from 0, a new
   * retry window); a pending one keeps its attempts and window.
   */
  async requeueForReplay(deliveryId: string): Promise<void> {
    await this.transactions.manager.query(
      `UPDATE webhook_deliveries
          SET attempts = CASE WHEN status = 'pending' THEN attempts ELSE 0 END,
              queued_at = CASE WHEN status = 'pending' THEN queued_at ELSE now() END,
              status = 'pending', next_attempt_at = now(), delivered_at = NULL, updated_at = now()
        WHERE id = $1`,
      [deliveryId],
    );
  }
}
