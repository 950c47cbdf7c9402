import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';

/** The only reader and writer of `messages`. */
@Injectable()
export class MessageRepository {
  constructor(private readonly transactions: Transactions) {}
}
