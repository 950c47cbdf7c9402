/** The events a subscription can ask for. */
export const WEBHOOK_EVENT_TYPES = [
  'message.created',
  'message.status',
  'chat.created',
  'chat.assigned',
  'chat.closed',
  'contact.created',
  'contact.updated',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

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

/**
 * What a chat event means to an outside system, or undefined when nothing. The fields are picked
 * one by one: the webhook contract must not change when an internal event payload grows.
 * A transfer to an operator is an assignment; a transfer back to a queue and an edit are not sent.
 */
export function toWebhookEvent(event: SourceEvent): WebhookEvent | undefined {
  const { payload } = event;
  const chat = { chatId: event.chatId, channelId: event.channelId, contactId: event.contactId };
  switch (event.type) {
    case 'message.created':
      return {
        type: 'message.created',
        data: { ...chat, ...pick(payload, 'messageId', 'direction', 'text') },
      };
    case 'message.status':
      return { type: 'message.status', data: { ...chat, ...pick(payload, 'messageId', 'status', 'error') } };
    case 'chat.assigned':
      return { type: 'chat.assigned', data: { ...chat, ...pick(payload, 'operatorId', 'previousOperatorId') } };
    case 'chat.transferred':
      if (!payload.operatorId) return undefined;
      return { type: 'chat.assigned', data: { ...chat, ...pick(payload, 'operatorId', 'previousOperatorId') } };
    case 'chat.closed':
      // The operator who had the chat when it closed.
      return { type: 'chat.closed', data: { ...chat, operatorId: payload.previousOperatorId ?? null } };
    case 'chat.created':
      return {
        type: 'chat.created',
        data: pick(payload, 'chatId', 'channelId', 'contactId', 'queueId', 'externalChatId'),
      };
    case 'contact.created':
      return { type: 'contact.created', data: pick(payload, 'contactId', 'name', 'channelId', 'externalUserId') };
    case 'contact.updated':
      return { type: 'contact.updated', data: pick(payload, 'contactId', 'name', 'avatarUrl') };
    default:
      return undefined;
  }
}

/** The named fields, each present: a missing one is null, so every event of a type has the same keys. */
function pick(payload: Record<string, unknown>, ...fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field, payload[field] ?? null]));
}
