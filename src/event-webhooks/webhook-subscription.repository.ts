import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';
import type { WebhookEventType } from '../messaging/events/chat-event-catalogue';
import { WebhookSubscription } from './webhook-subscription.entity';

/** What the fan-out needs of a subscription: the events it asked for, and whether it is paused. */
export interface SubscriptionEventFilter {
  id: string;
  events: WebhookEventType[];
  active: boolean;
}

/** A subscription's run of failures, as recorded after its latest failed delivery attempt. */
export interface SubscriptionFailures {
  consecutiveFailures: number;
  failingForMs: number;
  active: boolean;
}

/** The only reader and writer of `webhook_subscriptions`. */
@Injectable()
export class WebhookSubscriptionRepository {
  constructor(private readonly transactions: Transactions) {}

  // Admin: the subscriptions themselves.

  async create(subscription: Pick<WebhookSubscription, 'url' | 'events' | 'secret'>): Promise<WebhookSubscription> {
    return this.transactions.manager.save(
      WebhookSubscription,
      this.transactions.manager.create(WebhookSubscription, subscription),
    );
  }

  /** Every subscription, oldest first. */
  async list(): Promise<WebhookSubscription[]> {
    return this.transactions.manager.find(WebhookSubscription, { order: { createdAt: 'ASC' } });
  }

  async findById(id: string): Promise<WebhookSubscription | null> {
    return this.transactions.manager.findOneBy(WebhookSubscription, { id });
  }

  async update(id: string, changes: Partial<Pick<WebhookSubscription, 'url' | 'events' | 'secret'>>): Promise<void> {
    await this.transactions.manager.update(WebhookSubscription, { id }, changes);
  }

  /** Deletes it with its delivery log; false when there was none. */
  async delete(id: string): Promise<boolean> {
    const { affected } = await this.transactions.manager.delete(WebhookSubscription, { id });
    return Boolean(affected);
  }

  // Events: the fan-out's view of every subscription.

  async listEventFilters(): Promise<SubscriptionEventFilter[]> {
    return this.transactions.manager.query<SubscriptionEventFilter[]>(
      `SELECT id, events, active FROM webhook_subscriptions`,
    );
  }

  // Failure counters and pausing (the work queue's event-webhook source, WebhookSubscriptionState).

  /** Counts one more failed attempt in a row; undefined when the subscription is gone. */
  async recordFailure(subscriptionId: string): Promise<SubscriptionFailures | undefined> {
    const [[failures]] = await this.transactions.manager.query<[[SubscriptionFailures | undefined], number]>(
      `UPDATE webhook_subscriptions
          SET consecutive_failures = consecutive_failures + 1, failing_since = coalesce(failing_since, now())
        WHERE id = $1
        RETURNING consecutive_failures AS "consecutiveFailures", active,
                  (extract(epoch FROM now() - failing_since) * 1000)::float8 AS "failingForMs"`,
      [subscriptionId],
    );
    return failures;
  }

  /** A success ends the run of failures. */
  async clearFailures(subscriptionId: string): Promise<void> {
    await this.transactions.manager.query(
      `UPDATE webhook_subscriptions SET consecutive_failures = 0, failing_since = NULL
        WHERE id = $1 AND (consecutive_failures <> 0 OR failing_since IS NOT NULL)`,
      [subscriptionId],
    );
  }

  async pause(subscriptionId: string, reason: string): Promise<void> {
    await this.transactions.manager.query(
      `UPDATE webhook_subscriptions SET active = false, paused_reason = $2, updated_at = now() WHERE id = $1`,
      [subscriptionId, reason],
    );
  }

  /** Active again, its failure count started over. */
  async resume(subscriptionId: string): Promise<void> {
    await this.transactions.manager.query(
      `UPDATE webhook_subscriptions
          SET active = true, paused_reason = NULL, consecutive_failures = 0, failing_since = NULL, updated_at = now()
        WHERE id = $1`,
      [subscriptionId],
    );
  }
}
