import { Injectable } from '@nestjs/common';
import { Channel } from '../../channels/channel.entity';
import { MessageRepository } from '../../chats/message.repository';
import { Transactions } from '../../database/transactions';
import { ChatEventRepository } from '../../events/chat-event.repository';
import { InboundEvent, UnifiedMessage } from '../contracts/unified-message';
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

const RETRYABLE_SQLSTATES = new Set(['40P01', '40001', '23505']);

/**
 * Stores what a provider sent, all or nothing. New customer messages go through
 * MessageRepository.storeInbound: contact, chat, message, files, jobs and event in one round trip.
 * A batch of only new messages is that one statement; receipts and edits join it in one transaction.
 */
@Injectable()
export class InboundMessageStore {
  constructor(
    private readonly transactions: Transactions,
    private readonly messages: MessageRepository,
    private readonly chatEvents: ChatEventRepository,
    private readonly receipts: DeliveryReceiptApplier,
  ) {}

  async store(channel: Channel, events: InboundEvent[]): Promise<ReceiveResult> {
    const onlyNewMessages = events.every((event) => event.kind === 'message' && !event.edited);
    for (let attempt = 1; ; attempt++) {
      try {
        return onlyNewMessages
          ? await this.storeMessages(channel, events as UnifiedMessage[])
          : await this.transactions.run(() => this.storeMixedBatch(channel, events));
      } catch (error) {
        const sqlState = (error as { code?: string }).code;
        if (attempt >= 3 || !sqlState || !RETRYABLE_SQLSTATES.has(sqlState)) throw error;
      }
    }
  }

  private async storeMixedBatch(channel: Channel, events: InboundEvent[]): Promise<ReceiveResult> {
    let statusUpdates = 0;
    let edited = 0;
    const toStore: UnifiedMessage[] = [];
    for (const event of events) {
      if (event.kind === 'receipt') statusUpdates += await this.receipts.apply(channel.id, event);
      else if (event.edited && (await this.applyEdit(channel, event))) edited++;
      else toStore.push(event);
    }
    const result = await this.storeMessages(channel, toStore);
    return { ...result, stored: result.stored + edited, statusUpdates };
  }

  /** Replaces the text of the message it edits; false when that message was never seen (then it is stored as new). */
  private async applyEdit(channel: Channel, message: UnifiedMessage): Promise<boolean> {
    const text = message.text ?? null;
    const edited = await this.messages.applyEdit(channel.id, {
      externalMessageId: message.externalMessageId,
      text,
      editedAt: message.sentAt,
    });
    if (!edited) return false;
    await this.chatEvents.append('message.edited', { chatId: edited.chatId, messageId: edited.id, text });
    return true;
  }

  private async storeMessages(channel: Channel, messages: UnifiedMessage[]): Promise<ReceiveResult> {
    if (messages.length === 0) return { stored: 0, duplicates: 0, statusUpdates: 0, openedChats: 0, messageIds: [] };
    const stored = await this.messages.storeInbound(channel, messages);
    return {
      stored: stored.length,
      duplicates: messages.length - stored.length,
      statusUpdates: 0,
      openedChats: stored.filter((message) => message.opened).length,
      messageIds: stored.map((message) => message.messageId),
    };
  }
}
