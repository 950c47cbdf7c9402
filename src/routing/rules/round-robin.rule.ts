import { Injectable } from '@nestjs/common';
import { QueueRepository } from '../queue.repository';
import { FreeOperator, RoutableChat, RoutingRule, RoutingRuleCode } from '../routing-rule';

/** Each chat goes to the free operator who has gone longest without one, so members take turns. */
@Injectable()
@RoutingRuleCode('round_robin')
export class RoundRobinRule implements RoutingRule {
  constructor(private readonly queues: QueueRepository) {}

  /** The query's order (longest since the last assignment first) is exactly the turn order. */
  pickUpFreeQueueOperators(chat: RoutableChat): Promise<FreeOperator[]> {
    return this.queues.freeOperators(chat.queueId);
  }

  async getChatOperator(chat: RoutableChat): Promise<string | null> {
    return chat.operatorId ?? (await this.pickUpFreeQueueOperators(chat))[0]?.id ?? null;
  }
}
