import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Channel } from '../../channels/channel.entity';
import { ChatEventRepository } from '../../events/chat-event.repository';
import { DeliveryReceipt, InboundEvent, UnifiedMessage } from '../contracts/unified-message';
import { DeliveryReceiptApplier } from './delivery-receipt.applier';

export interface ReceiveResult {
  stored: number;
  duplicates: number;
  /** Outgoing messages whose status a receipt moved forward. */
  statusUpdates: number;
  /** Chats this call opened, which routing should now assign. */
  openedChats: number;
  /** Ids of the messages stored by this call, in the order received. */
  messageIds: string[];
}

interface StoredRow {
  message_id: string;
  opened: boolean;
}

const RETRYABLE_SQLSTATES = new Set(['40P01', '40001', '23505']);

/**
 * Stores what a provider sent, all or nothing. New customer messages go through the
 * `store_inbound_messages` database function (migration StoreInboundMessagesFunction): contact,
 * chat, message, files, jobs and event in one round trip, under per-conversation advisory locks,
 * deduplicated on the provider's message id. A batch of only new messages is that one statement;
 * receipts and edits join it in one transaction.
 */
@Injectable()
export class InboundMessageStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly chatEvents: ChatEventRepository,
    private readonly receipts: DeliveryReceiptApplier,
  ) {}

  async store(channel: Channel, events: InboundEvent[]): Promise<ReceiveResult> {
    const onlyNewMessages = events.every((event) => event.kind === 'message' && !event.edited);
    for (let attempt = 1; ; attempt++) {
      try {
        return onlyNewMessages
          ? await this.storeMessages(this.dataSource.manager, channel, events as UnifiedMessage[])
          : await this.dataSource.transaction((manager) => this.storeMixedBatch(manager, channel, events));
      } catch (error) {
        const sqlState = (error as { code?: string }).code;
        if (attempt >= 3 || !sqlState || !RETRYABLE_SQLSTATES.has(sqlState)) throw error;
      }
    }
  }

  private async storeMixedBatch(
    manager: EntityManager,
    channel: Channel,
    events: InboundEvent[],
  ): Promise<ReceiveResult> {
    let statusUpdates = 0;
    let edited = 0;
    const toStore: UnifiedMessage[] = [];
    for (const event of events) {
      if (event.kind === 'receipt') statusUpdates += await this.applyReceipt(manager, channel, event);
      else if (event.edited && (await this.applyEdit(manager, channel, event))) edited++;
      else toStore.push(event);
    }
    const result = await this.storeMessages(manager, channel, toStore);
    return { ...result, stored: result.stored + edited, statusUpdates };
  }

  private applyReceipt(manager: EntityManager, channel: Channel, receipt: DeliveryReceipt): Promise<number> {
    return this.receipts.apply(manager, channel.id, receipt);
  }

  /** Replaces the text of the message it edits; false when that message was never seen (then it is stored as new). */
  private async applyEdit(manager: EntityManager, channel: Channel, message: UnifiedMessage): Promise<boolean> {
    const [edited] = await manager.query<[{ id: string; chat_id: string }[], number]>(
      `UPDATE messages SET text = $3, edited_at = $4, updated_at = now()
        WHERE channel_id = $1 AND direction = 'in' AND provider_message_id = $2
        RETURNING id::text, chat_id`,
      [channel.id, message.externalMessageId, message.text ?? null, message.sentAt],
    );
    if (edited.length === 0) return false;
    const [{ id, chat_id: chatId }] = edited;
    await this.chatEvents.append('message.edited', { chatId, messageId: id, text: message.text ?? null });
    return true;
  }

  private async storeMessages(
    manager: EntityManager,
    channel: Channel,
    messages: UnifiedMessage[],
  ): Promise<ReceiveResult> {
    if (messages.length === 0) return { stored: 0, duplicates: 0, statusUpdates: 0, openedChats: 0, messageIds: [] };
    const rows = await manager.query<StoredRow[]>(
      `SELECT message_id::text, opened FROM store_inbound_messages($1, $2, $3, $4::jsonb)`,
      [channel.id, channel.name, channel.queueId, JSON.stringify(messages)],
    );
    return {
      stored: rows.length,
      duplicates: messages.length - rows.length,
      statusUpdates: 0,
      openedChats: rows.filter((row) => row.opened).length,
      messageIds: rows.map((row) => row.message_id),
    };
  }
}
