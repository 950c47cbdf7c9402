import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';
import { Channel } from './channel.entity';

/** A channel's columns as they are written; the id is chosen before registration (the webhook URL needs it). */
export type NewChannel = Pick<
  Channel,
  'id' | 'name' | 'provider' | 'msgSettingsId' | 'source' | 'queueId' | 'active' | 'connected' | 'registered' | 'error'
>;

/** Columns a change to a channel may set; those left out stay. */
export type ChannelChanges = Partial<Omit<NewChannel, 'id' | 'provider' | 'msgSettingsId'>>;

/** The only reader and writer of `channels`. */
@Injectable()
export class ChannelRepository {
  constructor(private readonly transactions: Transactions) {}

  // channels admin and the core's channel context: CRUD with the settings row
  /** The channel with its settings row; null when it does not exist or was deleted. */
  findWithSettings(id: string): Promise<Channel | null> {
    return this.transactions.manager.findOne(Channel, { where: { id }, relations: { msgSettings: true } });
  }

  /** Every channel not deleted, with its settings row, oldest first. */
  listWithSettings(): Promise<Channel[]> {
    return this.transactions.manager.find(Channel, { relations: { msgSettings: true }, order: { createdAt: 'ASC' } });
  }

  insert(channel: NewChannel): Promise<Channel> {
    return this.transactions.manager.save(Channel, { ...channel });
  }

  async update(id: string, changes: ChannelChanges): Promise<void> {
    await this.transactions.manager.update(Channel, id, changes);
  }

  /** Switches the channel off and marks it deleted: it stops receiving and sending; its chats stay readable. */
  async softDelete(id: string): Promise<void> {
    await this.transactions.manager.query(
      `UPDATE channels SET active = false, deleted_at = now(), updated_at = now() WHERE id = $1 AND deleted_at IS NULL`,
      [id],
    );
  }
}
