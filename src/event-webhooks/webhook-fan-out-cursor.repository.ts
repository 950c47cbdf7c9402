import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';

/** The only reader and writer of `webhook_fan_out_cursor`. */
@Injectable()
export class WebhookFanOutCursorRepository {
  constructor(private readonly transactions: Transactions) {}
}
