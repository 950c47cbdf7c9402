import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export const CHAT_EVENTS_CHANNEL = 'chat_events';

export type ChatEventType =
  'message.created' | 'message.edited' | 'message.status' | 'chat.assigned' | 'chat.closed' | 'chat.transferred';

/**
 * Records a chat event in the caller's transaction, stamped with the chat's operator and queue
 * as they are after the change, and NOTIFYs every instance with its id when the transaction commits.
 */
@Injectable()
export class ChatEventsPublisher {
  async publish(
    manager: EntityManager,
    type: ChatEventType,
    chatId: string,
    payload: Record<string, unknown>,
  ): Promise<void> {
    await manager.query(
      `WITH event AS (
         INSERT INTO chat_events (type, chat_id, operator_id, queue_id, payload)
         SELECT $1, c.id, c.operator_id, c.queue_id, $3::jsonb FROM chats c WHERE c.id = $2
         RETURNING id)
       SELECT pg_notify('${CHAT_EVENTS_CHANNEL}', id::text) FROM event`,
      [type, chatId, JSON.stringify({ chatId, ...payload })],
    );
  }
}
