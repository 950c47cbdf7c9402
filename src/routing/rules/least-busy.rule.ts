import { Injectable } from '@nestjs/common';
import { QueueRepository } from '../queue.repository';
import { FreeOperator, RoutableChat, RoutingRule, RoutingRuleCode } from '../routing-rule';

/** Each chat goes to the free operator with the fewest open chats; ties go to the one waiting longest for a chat. */
@Injectable()
@RoutingRuleCode('least_busy')
export class LeastBusyRule implements RoutingRule {
  constructor(private readonly queues: QueueRepository) {}

  async pickUpFreeQueueOperators(chat: RoutableChat): Promise<FreeOperator[]> {
    const longestWaitingFirst = await this.queues.freeOperators(chat.queueId);
    // sort is stable, so equal loads keep the longest-waiting-first order.
    return longestWaitingFirst.sort((a, b) => a.assignedChats - b.assignedChats);
  }

  async getChatOperator(chat: RoutableChat): Promise<string | null> {
    return chat.operatorId ?? (await this.pickUpFreeQueueOperators(chat))[0]?.id ?? null;
  }
}
