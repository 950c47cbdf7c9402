import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';

/** The only reader and writer of `webhook_subscriptions`. */
@Injectable()
export class WebhookSubscriptionRepository {
  constructor(private readonly transactions: Transactions) {}
}
