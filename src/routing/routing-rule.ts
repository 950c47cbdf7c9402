import { DiscoveryService } from '@nestjs/core';
import type { FreeOperator } from './queue.repository';

export type { FreeOperator };

/** A chat waiting for an operator, as routing sees it. */
export interface RoutableChat {
  id: string;
  queueId: string;
  operatorId: string | null;
}

/**
 * How a queue assigns its chats. Registered like a provider: one class marked @RoutingRuleCode('<code>');
 * a queue stores the code.
 */
export interface RoutingRule {
  /** The queue's operators who could take the chat now, in the rule's order of preference. */
  pickUpFreeQueueOperators(chat: RoutableChat): Promise<FreeOperator[]>;
  /** The operator the chat should go to, or null to leave it waiting; an assigned chat keeps its operator. */
  getChatOperator(chat: RoutableChat): Promise<string | null>;
}

export const RoutingRuleCode = DiscoveryService.createDecorator<string>();
