import type { MessageDirection, MessageStatus } from '../../chats/message.entity';

/**
 * Every event the service records, with its payload. One declaration feeds the writer, the SSE
 * stream and the event-webhook mapping; a new event is one entry here.
 */
export interface ChatEventPayloads {
  'message.created': { chatId: string; messageId: string; direction: MessageDirection; text: string | null };
  'message.edited': { chatId: string; messageId: string; text: string | null };
  'message.status': { chatId: string; messageId: string; status: MessageStatus; error: string | null };
  'chat.created': {
    chatId: string;
    channelId: string;
    contactId: string;
    queueId: string | null;
    externalChatId: string;
  };
  'chat.assigned': { chatId: string; operatorId: string; previousOperatorId?: string | null };
  'chat.closed': { chatId: string; previousOperatorId: string | null };
  'chat.transferred': {
    chatId: string;
    previousOperatorId: string | null;
    operatorId: string | null;
    queueId: string | null;
  };
  'contact.created': { contactId: string; name: string; channelId: string; externalUserId: string };
  'contact.updated': { contactId: string; name: string | null; avatarUrl: string | null };
}

export type ChatEventType = keyof ChatEventPayloads;

/** Events about one chat: written with the chat's operator and queue, so the audience can be told. */
export type ChatScopedEventType = {
  [T in ChatEventType]: ChatEventPayloads[T] extends { chatId: string } ? T : never;
}[ChatEventType];
