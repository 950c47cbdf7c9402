import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';
import { MsgSettings } from './msg-settings.entity';

/** The only reader and writer of `msg_settings`. Settings arrive here already encrypted where the provider says so. */
@Injectable()
export class MsgSettingsRepository {
  constructor(private readonly transactions: Transactions) {}

  /** Resolves to the new row's id. */
  async insert(provider: string, settings: Record<string, unknown>): Promise<string> {
    const saved = await this.transactions.manager.save(MsgSettings, { provider, settings });
    return saved.id;
  }

  async replaceSettings(id: string, settings: Record<string, unknown>): Promise<void> {
    await this.transactions.manager.save(MsgSettings, { id, settings });
  }
}
