import { EntityManager } from 'typeorm';
import type { MessageDirection, MessageSenderType, MessageStatus } from '../../chats/message.entity';

export interface NewChatMessage {
  chatId: string;
  channelId: string;
  direction: MessageDirection;
  senderType: MessageSenderType;
  senderId: string | null;
  text: string | null;
  status: MessageStatus;
  providerMessageId?: string;
  clientMessageId?: string;
  /** The provider's time of an inbound message. */
  sentAt?: Date;
}

/**
 * Appends a message to its chat in one statement: the next sequence number of the chat, the
 * chat's last-message pointer, and its unread counter for customer messages. The caller holds
 * the conversation lock (conversation-lock.ts), so sequence numbers never collide.
 */
export async function appendChatMessage(manager: EntityManager, message: NewChatMessage): Promise<string> {
  const inbound = message.direction === 'in';
  const [{ id }] = await manager.query<{ id: string }[]>(
    `WITH next AS (SELECT last_seq + 1 AS seq FROM chats WHERE id = $1),
     inserted AS (
       INSERT INTO messages (chat_id, seq, channel_id, direction, sender_type, sender_id, text, status,
                             provider_message_id, client_message_id, sent_at, next_attempt_at)
       SELECT $1, next.seq, $2, $3::varchar, $4, $5, $6, $7, $8, $9, $10::timestamptz,
              CASE WHEN $3::varchar = 'out' THEN now() END
         FROM next
       RETURNING id, seq),
     chat AS (
       UPDATE chats SET last_seq = inserted.seq, last_message_id = inserted.id,
                        last_message_at = coalesce($10::timestamptz, now()), unread_count = unread_count + $11
         FROM inserted WHERE chats.id = $1)
     SELECT id::text FROM inserted`,
    [
      message.chatId,
      message.channelId,
      message.direction,
      message.senderType,
      message.senderId,
      message.text,
      message.status,
      message.providerMessageId ?? null,
      message.clientMessageId ?? null,
      message.sentAt ?? null,
      inbound ? 1 : 0,
    ],
  );
  return id;
}
