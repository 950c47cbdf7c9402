import { Injectable } from '@nestjs/common';
import { In, Not } from 'typeorm';
import { Transactions } from '../database/transactions';
import { ChannelProvider } from './channel-provider.entity';

/** The only reader and writer of `channel_providers`. */
@Injectable()
export class ChannelProviderRepository {
  constructor(private readonly transactions: Transactions) {}

  /** Inserts or refreshes these providers, marked available. */
  async upsertAvailable(providers: Pick<ChannelProvider, 'code' | 'name' | 'capabilities'>[]): Promise<void> {
    await this.transactions.manager.upsert(
      ChannelProvider,
      providers.map((provider) => ({ ...provider, available: true })),
      ['code'],
    );
  }

  /** Marks every provider but these unavailable: no loaded module implements them any more. */
  async markUnavailableExcept(codes: string[]): Promise<void> {
    await this.transactions.manager.update(ChannelProvider, { code: Not(In(codes)) }, { available: false });
  }

  /** By code. */
  list(): Promise<ChannelProvider[]> {
    return this.transactions.manager.find(ChannelProvider, { order: { code: 'ASC' } });
  }
}
