import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';

/** The only reader and writer of `chats`. */
@Injectable()
export class ChatRepository {
  constructor(private readonly transactions: Transactions) {}
}
