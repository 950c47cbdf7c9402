import { Injectable } from '@nestjs/common';
import { QueueRepository } from '../queue.repository';
import { FreeOperator, RoutableChat, RoutingRule, RoutingRuleCode } from '../routing-rule';

export const MANUAL_RULE_CODE = 'manual';

/** Chats wait in the queue until one of its members accepts one; routing never assigns them. */
@Injectable()
@RoutingRuleCode(MANUAL_RULE_CODE)
export class ManualRule implements RoutingRule {
  constructor(private readonly queues: QueueRepository) {}

  pickUpFreeQueueOperators(chat: RoutableChat): Promise<FreeOperator[]> {
    return this.queues.freeOperators(chat.queueId);
  }

  getChatOperator(chat: RoutableChat): Promise<string | null> {
    return Promise.resolve(chat.operatorId);
  }
}
