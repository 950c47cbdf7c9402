import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export type ChatEventType =
  'message.created' | 'message.edited' | 'message.status' | 'chat.assigned' | 'chat.closed' | 'chat.transferred';

/**
 * Records a chat event in the caller's transaction, stamped with the chat's operator and queue
 * as they are after the change; every instance's ChatEventsListener reads it once it commits.
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
      `INSERT INTO chat_events (type, chat_id, operator_id, queue_id, payload)
       SELECT $1, c.id, c.operator_id, c.queue_id, $3::jsonb FROM chats c WHERE c.id = $2`,
      [type, chatId, JSON.stringify({ chatId, ...payload })],
    );
  }
}
