import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';
import type { WebhookEventType } from './webhook-event-types';

/** What the fan-out needs of a subscription: the events it asked for, and whether it is paused. */
export interface SubscriptionEventFilter {
  id: string;
  events: WebhookEventType[];
  active: boolean;
}

/** The only reader and writer of `webhook_subscriptions`. */
@Injectable()
export class WebhookSubscriptionRepository {
  constructor(private readonly transactions: Transactions) {}

  // Events: the fan-out's view of every subscription.

  async listEventFilters(): Promise<SubscriptionEventFilter[]> {
    return this.transactions.manager.query<SubscriptionEventFilter[]>(
      `SELECT id, events, active FROM webhook_subscriptions`,
    );
  }
}
