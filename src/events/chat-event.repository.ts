import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';
import { ChatEventPayloads, ChatScopedEventType } from '../messaging/events/chat-event-catalogue';

/** The only reader and writer of `chat_events`. */
@Injectable()
export class ChatEventRepository {
  constructor(private readonly transactions: Transactions) {}

  /**
   * Records a chat event in the caller's transaction, stamped with the chat's operator and queue as
   * they are after the change; the event log readers (SSE, event webhooks) see it once it commits.
   */
  async append<T extends ChatScopedEventType>(type: T, payload: ChatEventPayloads[T]): Promise<void> {
    await this.transactions.manager.query(
      `INSERT INTO chat_events (type, chat_id, operator_id, queue_id, payload)
       SELECT $1, c.id, c.operator_id, c.queue_id, $3::jsonb FROM chats c WHERE c.id = $2`,
      [type, payload.chatId, JSON.stringify(payload)],
    );
  }
}
