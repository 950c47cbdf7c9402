import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';

/** The only reader and writer of `queues` and its members`. */
@Injectable()
export class QueueRepository {
  constructor(private readonly transactions: Transactions) {}
}
