import {
  CHAT_EVENTS,
  ChatEventPayloads,
  ChatEventType,
  isChatEventType,
  WebhookEventType,
} from '../messaging/events/chat-event-catalogue';

/** The chat event types the catalogue sends to subscribers. */
type SentEventType = {
  [T in ChatEventType]: (typeof CHAT_EVENTS)[T]['webhook'] extends null ? never : T;
}[ChatEventType];

export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = [
  ...new Set(Object.values(CHAT_EVENTS).flatMap(({ webhook }) => (webhook === null ? [] : [webhook]))),
];

/** A chat_events row as the fan-out reads it, with the channel and contact of its chat (if it has one). */
export interface SourceEvent {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  chatId: string | null;
  channelId: string | null;
  contactId: string | null;
}

export interface WebhookEvent {
  type: WebhookEventType;
  data: Record<string, unknown>;
}

/** A payload as stored: the catalogue's keys, any of which an older row may lack. */
type StoredPayload<T extends ChatEventType> = { readonly [K in keyof ChatEventPayloads[T]]?: unknown };

type WebhookData<T extends SentEventType> = (
  event: SourceEvent,
  payload: StoredPayload<T>,
) => Record<string, unknown> | undefined;

/**
 * The `data` of each event sent to subscribers (undefined: not this one). The fields are picked one
 * by one: the webhook contract must not change when an internal event payload grows. A transfer to
 * an operator is an assignment; a transfer back to a queue is not sent.
 */
const WEBHOOK_DATA: { [T in SentEventType]: WebhookData<T> } = {
  'message.created': (event, payload) => ({ ...chatOf(event), ...pick(payload, 'messageId', 'direction', 'text') }),
  'message.status': (event, payload) => ({ ...chatOf(event), ...pick(payload, 'messageId', 'status', 'error') }),
  'chat.created': (_event, payload) => pick(payload, 'chatId', 'channelId', 'contactId', 'queueId', 'externalChatId'),
  'chat.assigned': (event, payload) => ({ ...chatOf(event), ...pick(payload, 'operatorId', 'previousOperatorId') }),
  'chat.transferred': (event, payload) =>
    payload.operatorId ? { ...chatOf(event), ...pick(payload, 'operatorId', 'previousOperatorId') } : undefined,
  // The operator who had the chat when it closed.
  'chat.closed': (event, payload) => ({ ...chatOf(event), operatorId: payload.previousOperatorId ?? null }),
  'contact.created': (_event, payload) => pick(payload, 'contactId', 'name', 'channelId', 'externalUserId'),
  'contact.updated': (_event, payload) => pick(payload, 'contactId', 'name', 'avatarUrl'),
};

/** What a chat event means to an outside system, or undefined when nothing. */
export function toWebhookEvent(event: SourceEvent): WebhookEvent | undefined {
  if (!isChatEventType(event.type) || !isSent(event.type)) return undefined;
  const data = webhookData(event.type, event);
  return data && { type: CHAT_EVENTS[event.type].webhook, data };
}

function isSent(type: ChatEventType): type is SentEventType {
  return CHAT_EVENTS[type].webhook !== null;
}

function webhookData<T extends SentEventType>(type: T, event: SourceEvent): Record<string, unknown> | undefined {
  const dataOf: WebhookData<T> = WEBHOOK_DATA[type];
  return dataOf(event, event.payload);
}

function chatOf(event: SourceEvent): Record<string, unknown> {
  return { chatId: event.chatId, channelId: event.channelId, contactId: event.contactId };
}

/** The named fields, each present: a missing one is null, so every event of a type has the same keys. */
function pick<P extends object, K extends keyof P>(payload: P, ...fields: K[]): Record<K, unknown> {
  return Object.fromEntries(fields.map((field) => [field, payload[field] ?? null])) as Record<K, unknown>;
}
