import type { MessageDirection, MessageStatus } from '../../chats/message.entity';

/**
 * Every event the service records, with its payload. One declaration feeds the writer, the SSE
 * stream and the event-webhook mapping; a new event is one entry here and one in {@link CHAT_EVENTS}.
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

/** A payload's keys, each marked as its type has it: the copy of the payload type that exists at run time. */
export type PayloadKeys<P> = {
  readonly [K in keyof P]-?: Record<never, never> extends Pick<P, K> ? 'optional' : 'required';
};

interface ChatEventDeclaration<P> {
  /** Checked at compile time against {@link ChatEventPayloads}: what SQL that writes events is tested against. */
  payload: PayloadKeys<P>;
  /** Sent to the operators it concerns on their live stream (GET /events). */
  streamed: boolean;
  /** The event-webhook type subscribers receive it as, or null when it is not sent to them. */
  webhook: string | null;
}

/**
 * How each event type is exposed. A type missing here, one not in {@link ChatEventPayloads}, or a
 * payload key out of step with its type does not compile.
 */
export const CHAT_EVENTS = {
  'message.created': {
    payload: { chatId: 'required', messageId: 'required', direction: 'required', text: 'required' },
    streamed: true,
    webhook: 'message.created',
  },
  'message.edited': {
    payload: { chatId: 'required', messageId: 'required', text: 'required' },
    streamed: true,
    webhook: null,
  },
  'message.status': {
    payload: { chatId: 'required', messageId: 'required', status: 'required', error: 'required' },
    streamed: true,
    webhook: 'message.status',
  },
  // Written by the inbound store without the chat's audience: for integrations, not for operators.
  'chat.created': {
    payload: {
      chatId: 'required',
      channelId: 'required',
      contactId: 'required',
      queueId: 'required',
      externalChatId: 'required',
    },
    streamed: false,
    webhook: 'chat.created',
  },
  'chat.assigned': {
    payload: { chatId: 'required', operatorId: 'required', previousOperatorId: 'optional' },
    streamed: true,
    webhook: 'chat.assigned',
  },
  'chat.closed': {
    payload: { chatId: 'required', previousOperatorId: 'required' },
    streamed: true,
    webhook: 'chat.closed',
  },
  // Sent to subscribers as an assignment when it hands the chat to an operator (see the webhook mapping).
  'chat.transferred': {
    payload: { chatId: 'required', previousOperatorId: 'required', operatorId: 'required', queueId: 'required' },
    streamed: true,
    webhook: 'chat.assigned',
  },
  'contact.created': {
    payload: { contactId: 'required', name: 'required', channelId: 'required', externalUserId: 'required' },
    streamed: false,
    webhook: 'contact.created',
  },
  'contact.updated': {
    payload: { contactId: 'required', name: 'required', avatarUrl: 'required' },
    streamed: false,
    webhook: 'contact.updated',
  },
} as const satisfies { [T in ChatEventType]: ChatEventDeclaration<ChatEventPayloads[T]> };

/** Whether a stored type (a `chat_events.type`, a plain string) is one of the catalogue's. */
/** The events a subscription can ask for: the webhook types of the catalogue. */
export type WebhookEventType = NonNullable<(typeof CHAT_EVENTS)[ChatEventType]['webhook']>;

export function isChatEventType(type: string): type is ChatEventType {
  return Object.hasOwn(CHAT_EVENTS, type);
}

/** Whether operators' live streams carry events of this stored type. */
export function isStreamedEventType(type: string): boolean {
  return isChatEventType(type) && CHAT_EVENTS[type].streamed;
}

/** The event types operators' live streams carry. */
export const STREAMED_EVENT_TYPES: readonly ChatEventType[] = (Object.keys(CHAT_EVENTS) as ChatEventType[]).filter(
  (type) => CHAT_EVENTS[type].streamed,
);
