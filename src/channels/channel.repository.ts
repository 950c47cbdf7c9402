import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';
import { Channel } from './channel.entity';

/** A channel's columns as they are written; the id is chosen before registration (the webhook URL needs it). */
export type NewChannel = Pick<
  Channel,
  'id' | 'name' | 'provider' | 'msgSettingsId' | 'source' | 'queueId' | 'active' | 'connected' | 'registered' | 'error'
>;

/** Columns a change to a channel may set; those left out stay. The status flags are ChannelHealth's (below). */
export type ChannelChanges = Partial<
  Omit<NewChannel, 'id' | 'provider' | 'msgSettingsId' | 'active' | 'connected' | 'registered' | 'error'>
>;

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

  // Channel health flags (ChannelHealth) and polling.

  /** Pauses the channel: `error` says why; claims and polls skip it until the error is cleared. */
  async markBroken(channelId: string, reason: string): Promise<void> {
    await this.transactions.manager.query(
      `UPDATE channels SET error = $2, connected = false, updated_at = now() WHERE id = $1`,
      [channelId, reason],
    );
  }

  async markConnected(channelId: string): Promise<void> {
    await this.transactions.manager.query(
      `UPDATE channels SET connected = true, error = NULL, updated_at = now() WHERE id = $1`,
      [channelId],
    );
  }

  async markDisconnected(channelId: string): Promise<void> {
    await this.transactions.manager.query(`UPDATE channels SET connected = false, updated_at = now() WHERE id = $1`, [
      channelId,
    ]);
  }

  async markRegistered(channelId: string, connected: boolean): Promise<void> {
    await this.transactions.manager.query(
      `UPDATE channels SET registered = true, connected = $2, error = NULL, updated_at = now() WHERE id = $1`,
      [channelId, connected],
    );
  }

  async setActive(channelId: string, active: boolean): Promise<void> {
    await this.transactions.manager.query(`UPDATE channels SET active = $2, updated_at = now() WHERE id = $1`, [
      channelId,
      active,
    ]);
  }

  /** Channels of these (pull) providers that are switched on, not deleted and not paused by an error. */
  async idsToPoll(providers: readonly string[]): Promise<string[]> {
    const rows = await this.transactions.manager.query<{ id: string }[]>(
      `SELECT id FROM channels WHERE provider = ANY($1) AND active AND deleted_at IS NULL AND error IS NULL`,
      [providers],
    );
    return rows.map((row) => row.id);
  }
}
