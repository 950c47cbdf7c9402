import { Injectable } from '@nestjs/common';
import { MessageRepository } from '../../chats/message.repository';
import { Transactions } from '../../database/transactions';
import { ChatEventRepository } from '../../events/chat-event.repository';
import { DeliveryReceipt } from '../contracts/unified-message';
import { PendingReceiptRepository } from './pending-receipt.repository';

/**
 * Applies providers' receipts to our outgoing messages, forward only: a late `delivered` after
 * `read` changes nothing, and a repeated receipt changes nothing either.
 */
@Injectable()
export class DeliveryReceiptApplier {
  constructor(
    private readonly transactions: Transactions,
    private readonly messages: MessageRepository,
    private readonly pendingReceipts: PendingReceiptRepository,
    private readonly chatEvents: ChatEventRepository,
  ) {}

  /** How many messages changed status; each change commits with its message.status event (joining the caller's transaction). */
  apply(channelId: string, receipt: DeliveryReceipt): Promise<number> {
    return this.transactions.run(async () => {
      const updated = await this.messages.applyReceipt(channelId, receipt);
      if (updated.length === 0 && receipt.externalMessageId) {
        await this.pendingReceipts.keepIfUnknown(channelId, receipt.externalMessageId, {
          status: receipt.status,
          error: receipt.error ?? null,
        });
      }
      for (const message of updated) {
        await this.chatEvents.append('message.status', {
          chatId: message.chatId,
          messageId: message.id,
          status: receipt.status,
          error: receipt.error ?? null,
        });
      }
      return updated.length;
    });
  }

  /** Applies the receipts that arrived before the send that produced `providerMessageId` settled. */
  applyPending(channelId: string, providerMessageId: string): Promise<void> {
    return this.transactions.run(async () => {
      for (const receipt of await this.pendingReceipts.take(channelId, providerMessageId)) {
        await this.apply(channelId, {
          kind: 'receipt',
          status: receipt.status,
          externalChatId: '',
          externalMessageId: providerMessageId,
          error: receipt.error ?? undefined,
        });
      }
    });
  }
}
