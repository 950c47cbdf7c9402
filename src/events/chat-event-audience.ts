import type { ChatEventRecord } from './chat-event.repository';

export type ChatEventRecipientFields = Pick<ChatEventRecord, 'operatorId' | 'queueId' | 'payload'>;

/**
 * Whether an operator is told about an event: the chat is theirs, it belongs to one of their
 * queues, or it was theirs until this event (a transfer or close tells the previous owner).
 * ChatEventRepository.pageForOperator asks the same of stored events, for replays.
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
