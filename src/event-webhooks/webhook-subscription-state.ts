import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookSubscriptionRepository } from './webhook-subscription.repository';

export const PAUSED_BY_ADMIN = 'Paused by an admin';

/** Pauses and resumes event-webhook subscriptions, with their pending deliveries; joins the transaction in progress. */
@Injectable()
export class WebhookSubscriptionState {
  constructor(
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly transactions: Transactions,
  ) {}

  /** Its pending deliveries are held (no next attempt), so claims skip them cheaply however many pile up, until {@link resume}. */
  pause(subscriptionId: string, reason: string): Promise<void> {
    return this.transactions.run(async () => {
      await this.subscriptions.pause(subscriptionId, reason);
      await this.deliveries.holdPending(subscriptionId);
    });
  }

  /** Its failure count starts over and the held deliveries are due now. */
  resume(subscriptionId: string): Promise<void> {
    return this.transactions.run(async () => {
      await this.subscriptions.resume(subscriptionId);
      await this.deliveries.releaseHeld(subscriptionId);
    });
  }
}
