import { Injectable } from '@nestjs/common';
import { Transactions } from '../../database/transactions';

/** The only reader and writer of `pending_receipts`. */
@Injectable()
export class PendingReceiptRepository {
  constructor(private readonly transactions: Transactions) {}
}
