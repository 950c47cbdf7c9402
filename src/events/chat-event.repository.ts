import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';

/** The only reader and writer of `chat_events`. */
@Injectable()
export class ChatEventRepository {
  constructor(private readonly transactions: Transactions) {}
}
