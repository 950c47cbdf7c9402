import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ChatEventRepository } from '../../events/chat-event.repository';
import { DeliveryReceipt, ReceiptStatus } from '../contracts/unified-message';

/** Outgoing statuses in the only order they may move; `failed` cannot undo a delivery or a read. */
const STATUS_ORDER = `ARRAY['queued', 'sending', 'sent', 'failed', 'delivered', 'read']::varchar[]`;

/**
 * Applies providers' receipts to our outgoing messages, forward only: a late `delivered` after
 * `read` changes nothing, and a repeated receipt changes nothing either.
 */
@Injectable()
export class DeliveryReceiptApplier {
  constructor(private readonly chatEvents: ChatEventRepository) {}

  /** How many messages changed status. */
  async apply(manager: EntityManager, channelId: string, receipt: DeliveryReceipt): Promise<number> {
    const [updated] = await manager.query<[{ id: string; chat_id: string }[], number]>(
      `UPDATE messages m
          SET status = $3, updated_at = now(),
              error = CASE WHEN $3 = 'failed' THEN coalesce($6, 'the provider reported a failure') ELSE m.error END
        WHERE m.channel_id = $1 AND m.direction = 'out'
          AND ($4::varchar IS NULL OR m.provider_message_id = $4)
          AND ($5::timestamptz IS NULL OR (m.sent_at <= $5 AND m.chat_id IN (
                SELECT id FROM chats WHERE channel_id = $1 AND external_chat_id = $2)))
          AND array_position(${STATUS_ORDER}, m.status) < array_position(${STATUS_ORDER}, $3::varchar)
        RETURNING m.id::text, m.chat_id`,
      [
        channelId,
        receipt.externalChatId,
        receipt.status,
        receipt.externalMessageId ?? null,
        receipt.upTo ?? null,
        receipt.error ?? null,
      ],
    );
    if (updated.length === 0 && receipt.externalMessageId) {
      await this.keepIfUnknown(manager, channelId, receipt.externalMessageId, receipt);
    }
    for (const message of updated) {
      await this.chatEvents.append('message.status', {
        chatId: message.chat_id,
        messageId: message.id,
        status: receipt.status,
        error: receipt.error ?? null,
      });
    }
    return updated.length;
  }

  /** Applies the receipts that arrived before the send that produced `providerMessageId` settled. */
  async applyPending(manager: EntityManager, channelId: string, providerMessageId: string): Promise<void> {
    const [pending] = await manager.query<[{ status: ReceiptStatus; error: string | null }[], number]>(
      `DELETE FROM pending_receipts WHERE channel_id = $1 AND provider_message_id = $2 RETURNING status, error`,
      [channelId, providerMessageId],
    );
    for (const receipt of pending) {
      await this.apply(manager, channelId, {
        kind: 'receipt',
        status: receipt.status,
        externalChatId: '',
        externalMessageId: providerMessageId,
        error: receipt.error ?? undefined,
      });
    }
  }

  private async keepIfUnknown(
    manager: EntityManager,
    channelId: string,
    providerMessageId: string,
    receipt: DeliveryReceipt,
  ) {
    await manager.query(
      `INSERT INTO pending_receipts (channel_id, provider_message_id, status, error)
       SELECT $1::uuid, $2::varchar, $3::varchar, $4::text
        WHERE NOT EXISTS (SELECT 1 FROM messages WHERE channel_id = $1 AND direction = 'out' AND provider_message_id = $2)
       ON CONFLICT DO NOTHING`,
      [channelId, providerMessageId, receipt.status, receipt.error ?? null],
    );
  }
}
