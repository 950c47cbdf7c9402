import type { ChatEvent } from './chat-event.entity';

export type ChatEventRecipientFields = Pick<ChatEvent, 'operatorId' | 'queueId' | 'payload'>;

/**
 * Whether an operator is told about an event: the chat is theirs, it belongs to one of their
 * queues, or it was theirs until this event (a transfer or close tells the previous owner).
 */
export function isChatEventForOperator(
  event: ChatEventRecipientFields,
  operatorId: string,
  operatorQueueIds: ReadonlySet<string>,
): boolean {
  return (
    event.operatorId === operatorId ||
    (event.queueId !== null && operatorQueueIds.has(event.queueId)) ||
    event.payload.previousOperatorId === operatorId
  );
}

/**
 * {@link isChatEventForOperator} as a query-builder condition on the alias `event`, binding
 * `:operatorId` and `:queueIds` (an array), for replaying events from the table.
 */
export const CHAT_EVENT_FOR_OPERATOR_CONDITION = `(CAST(event.operatorId AS text) = :operatorId
  OR CAST(event.queueId AS text) = ANY(:queueIds)
  OR event.payload ->> 'previousOperatorId' = :operatorId)`;
