import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ChatEventRepository } from '../events/chat-event.repository';
import { WorkLoops } from '../messaging/work-loops/work-loops.service';
import { CHAT_QUEUE_HAS_FREE_OPERATOR, FreeQueueOperatorsQuery } from './free-queue-operators.query';
import { RoutableChat } from './routing-rule';
import { RoutingRuleRegistry } from './routing-rule.registry';
import { MANUAL_RULE_CODE } from './rules/manual.rule';

interface WaitingChat extends RoutableChat {
  routingRule: string;
}

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
  private readonly logger = new Logger(ChatRouter.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rules: RoutingRuleRegistry,
    private readonly freeOperators: FreeQueueOperatorsQuery,
    private readonly chatEvents: ChatEventRepository,
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
      const batch = await this.waitingChats(automaticRules, after);
      for (const chat of batch) {
        if (await this.route(chat)) assigned++;
      }
      if (batch.length < BATCH_SIZE) return assigned;
      after = batch[batch.length - 1].id;
    }
  }

  /** Hands the operator's offers (queued chats offered to them) back to their queues, e.g. when they go offline. */
  async releaseOffers(operatorId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [released]: [{ id: string; queue_id: string | null }[], number] = await manager.query(
        `UPDATE chats SET operator_id = NULL WHERE operator_id = $1 AND status = 'queued' RETURNING id, queue_id`,
        [operatorId],
      );
      for (const chat of released) {
        await this.chatEvents.append('chat.transferred', {
          chatId: chat.id,
          previousOperatorId: operatorId,
          operatorId: null,
          queueId: chat.queue_id,
        });
      }
    });
    this.wake();
  }

  /** The next batch after the chat `after`, skipping queues where nobody is free: their chats cannot move now. */
  private waitingChats(ruleCodes: string[], after: string | null): Promise<WaitingChat[]> {
    return this.dataSource.query(
      `SELECT c.id, c.queue_id AS "queueId", c.operator_id AS "operatorId", q.routing_rule AS "routingRule"
         FROM chats c JOIN queues q ON q.id = c.queue_id
        WHERE c.status = 'queued' AND c.operator_id IS NULL AND q.routing_rule = ANY($1)
          AND ($2::uuid IS NULL OR (c.created_at, c.id) > (SELECT created_at, id FROM chats WHERE id = $2))
          AND ${CHAT_QUEUE_HAS_FREE_OPERATOR}
        ORDER BY c.created_at, c.id
        LIMIT $3`,
      [ruleCodes, after, BATCH_SIZE],
    );
  }

  /** Assigns the chat to its rule's choice; if that operator filled up meanwhile, asks the rule again. */
  private async route(chat: WaitingChat): Promise<boolean> {
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
  private assign(chat: WaitingChat, operatorId: string): Promise<AssignmentOutcome> {
    return this.dataSource.transaction(async (manager) => {
      // Whoever assigns to this operator holds this lock until commit, so the load counted next is exact.
      await manager.query(`SELECT id FROM operators WHERE id = $1 FOR UPDATE`, [operatorId]);
      if (!(await this.freeOperators.isFree(manager, chat.queueId, operatorId))) return 'operator-not-free';
      const [claimed]: [unknown[], number] = await manager.query(
        `UPDATE chats SET operator_id = $2
          WHERE id = $1 AND queue_id = $3 AND status = 'queued' AND operator_id IS NULL
          RETURNING id`,
        [chat.id, operatorId, chat.queueId],
      );
      if (claimed.length === 0) return 'chat-taken';
      // clock_timestamp, not now(): round robin needs the order of assignments, not of transaction starts.
      await manager.query(`UPDATE operators SET last_assigned_at = clock_timestamp() WHERE id = $1`, [operatorId]);
      await this.chatEvents.append('chat.assigned', { chatId: chat.id, operatorId });
      return 'assigned';
    });
  }
}
