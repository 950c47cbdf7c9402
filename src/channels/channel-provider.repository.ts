import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';

/** The only reader and writer of `channel_providers`. */
@Injectable()
export class ChannelProviderRepository {
  constructor(private readonly transactions: Transactions) {}
}
