import { Injectable } from '@nestjs/common';
import { Channel } from '../../channels/channel.entity';
import { MessageRepository } from '../../chats/message.repository';
import { Transactions } from '../../database/transactions';
import { ChatEventRepository } from '../../events/chat-event.repository';
import { InboundEvent, UnifiedMessage } from '../contracts/unified-message';
import { DeliveryReceiptApplier } from './delivery-receipt.applier';
import { InboundGroupCommit, ReceiveResult, toReceiveResult } from './inbound-group-commit';
import { retryOnConflict } from './retry-on-conflict';

/**
 * Stores what a provider sent, all or nothing. New customer messages go through
 * MessageRepository's inbound store: contact, chat, message, files, jobs and event in one round trip.
 * A batch of only new messages joins a group commit with other requests (InboundGroupCommit);
 * receipts and edits are applied with the batch's new messages in a transaction of its own.
 */
@Injectable()
export class InboundMessageStore {
  constructor(
    private readonly transactions: Transactions,
    private readonly messages: MessageRepository,
    private readonly chatEvents: ChatEventRepository,
    private readonly receipts: DeliveryReceiptApplier,
    private readonly groupCommit: InboundGroupCommit,
  ) {}

  async store(channel: Channel, events: InboundEvent[]): Promise<ReceiveResult> {
    const onlyNewMessages = events.every((event) => event.kind === 'message' && !event.edited);
    // Inside a caller's transaction the messages must commit with it, not with a group.
    if (onlyNewMessages && !this.transactions.inTransaction) {
      return this.groupCommit.store(channel, events as UnifiedMessage[]);
    }
    return retryOnConflict(() => this.transactions.run(() => this.storeMixedBatch(channel, events)));
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
    if (messages.length === 0) return toReceiveResult(0, []);
    return toReceiveResult(messages.length, await this.messages.storeInbound(channel, messages));
  }
}
