import { Injectable } from '@nestjs/common';
import { FreeQueueOperatorsQuery } from '../free-queue-operators.query';
import { FreeOperator, RoutableChat, RoutingRule, RoutingRuleCode } from '../routing-rule';

export const MANUAL_RULE_CODE = 'manual';

/** Chats wait in the queue until one of its members accepts one; routing never assigns them. */
@Injectable()
@RoutingRuleCode(MANUAL_RULE_CODE)
export class ManualRule implements RoutingRule {
  constructor(private readonly freeOperators: FreeQueueOperatorsQuery) {}

  pickUpFreeQueueOperators(chat: RoutableChat): Promise<FreeOperator[]> {
    return this.freeOperators.inQueue(chat.queueId);
  }

  getChatOperator(chat: RoutableChat): Promise<string | null> {
    return Promise.resolve(chat.operatorId);
  }
}
