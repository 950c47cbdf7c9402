import { Injectable } from '@nestjs/common';
import { ChatRepository } from '../chats/chat.repository';
import { AppConfig } from '../config/app-config';
import { Transactions } from '../database/transactions';
import { ChatEventRepository } from '../events/chat-event.repository';
import { WorkLoops } from '../messaging/work-loops/work-loops.service';
import { OperatorRepository } from '../operators/operator.repository';
import { ChatToRoute, QueueRepository } from './queue.repository';
import { RoutingRuleRegistry } from './routing-rule.registry';
import { MANUAL_RULE_CODE } from './rules/manual.rule';

type AssignmentOutcome = 'assigned' | 'chat-taken' | 'operator-not-free';

const BATCH_SIZE = 50;
/** How many times a chat's rule is asked again after its choice filled up in the meantime. */
const MAX_PICKS_PER_CHAT = 3;

/**
 * Assigns waiting chats to operators with their queue's routing rule. Runs when woken (a chat
 * opened, an operator came online or freed a slot, a queue changed) and on every worker tick as a
 * safety net. Several instances may route at once: an assignment locks the operator's row and
 * re-checks that they are free, so nobody is offered more than their maxActiveChats.
 */
@Injectable()
export class ChatRouter {
  static readonly LOOP = 'routing';

  constructor(
    private readonly transactions: Transactions,
    private readonly chats: ChatRepository,
    private readonly queues: QueueRepository,
    private readonly operators: OperatorRepository,
    private readonly chatEvents: ChatEventRepository,
    private readonly rules: RoutingRuleRegistry,
    private readonly loops: WorkLoops,
    config: AppConfig,
  ) {
    loops.define({
      name: ChatRouter.LOOP,
      intervalMs: config.env.WORKER_POLL_INTERVAL_MS,
      // A pass walks every waiting chat itself, so the loop never needs to repeat one.
      runOnce: async () => {
        await this.routeWaitingChats();
        return 0;
      },
    });
  }

  /** Route now rather than at the next tick; wake-ups during a pass are folded into one more pass. */
  wake(): void {
    this.loops.wake(ChatRouter.LOOP);
  }

  /** One pass over the waiting chats of automatically routed queues, oldest first; resolves to how many it assigned. */
  async routeWaitingChats(): Promise<number> {
    const automaticRules = this.rules.codes().filter((code) => code !== MANUAL_RULE_CODE);
    let assigned = 0;
    let after: string | null = null;
    for (;;) {
      const batch = await this.queues.chatsToRoute(automaticRules, after, BATCH_SIZE);
      for (const chat of batch) {
        if (await this.route(chat)) assigned++;
      }
      if (batch.length < BATCH_SIZE) return assigned;
      after = batch[batch.length - 1].id;
    }
  }

  /** Hands the operator's offers (queued chats offered to them) back to their queues, e.g. when they go offline. */
  async releaseOffers(operatorId: string): Promise<void> {
    await this.transactions.run(async () => {
      for (const chat of await this.chats.releaseOffers(operatorId)) {
        await this.chatEvents.append('chat.transferred', {
          chatId: chat.id,
          previousOperatorId: operatorId,
          operatorId: null,
          queueId: chat.queueId,
        });
      }
    });
    this.wake();
  }

  /** Assigns the chat to its rule's choice; if that operator filled up meanwhile, asks the rule again. */
  private async route(chat: ChatToRoute): Promise<boolean> {
    const rule = this.rules.get(chat.routingRule);
    for (let pick = 0; pick < MAX_PICKS_PER_CHAT; pick++) {
      const operatorId = await rule.getChatOperator(chat);
      if (!operatorId) return false;
      const outcome = await this.assign(chat, operatorId);
      if (outcome !== 'operator-not-free') return outcome === 'assigned';
    }
    return false;
  }

  /** Offers the chat to the operator: status stays 'queued' until they accept it. */
  private assign(chat: ChatToRoute, operatorId: string): Promise<AssignmentOutcome> {
    return this.transactions.run(async () => {
      await this.operators.lockForAssignment(operatorId);
      if (!(await this.queues.isFreeOperator(chat.queueId, operatorId))) return 'operator-not-free';
      if (!(await this.chats.offer(chat.id, chat.queueId, operatorId))) return 'chat-taken';
      await this.operators.markAssigned(operatorId);
      await this.chatEvents.append('chat.assigned', { chatId: chat.id, operatorId });
      return 'assigned';
    });
  }
}
