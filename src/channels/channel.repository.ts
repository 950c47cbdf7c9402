import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';

/** The only reader and writer of `channels`. */
@Injectable()
export class ChannelRepository {
  constructor(private readonly transactions: Transactions) {}
}
