import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';

/** The only reader and writer of `message_files`. */
@Injectable()
export class MessageFileRepository {
  constructor(private readonly transactions: Transactions) {}
}
