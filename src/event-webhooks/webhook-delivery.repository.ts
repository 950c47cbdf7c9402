import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';

/** The only reader and writer of `webhook_deliveries`. */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly transactions: Transactions) {}
}
