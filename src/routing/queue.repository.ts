import { Injectable } from '@nestjs/common';
import { Chat } from '../chats/chat.entity';
import { AppError } from '../common/errors/app-error';
import { Transactions } from '../database/transactions';
import { onUniqueViolation } from '../database/unique-violation';
import { Operator } from '../operators/operator.entity';
import { Queue } from './queue.entity';

/** An operator who may take a chat of the queue now: online, a member, under maxActiveChats. */
export interface FreeOperator {
  id: string;
  /** Chats assigned to them that are not closed (offers and active ones). */
  assignedChats: number;
  maxActiveChats: number;
  lastAssignedAt: Date | null;
}

/** A chat waiting that some member could take now, with the rule that assigns it. */
export interface ChatToRoute {
  id: string;
  queueId: string;
  operatorId: string | null;
  routingRule: string;
}

/**
 * The one definition of a free operator: an online member of queue `m.queue_id` whose open chats
 * (offers and active ones) are under their maxActiveChats. Statements add the queue (and operator)
 * they ask about; this text takes no parameters.
 */
const FREE_QUEUE_MEMBERS = `
  queue_members m
  JOIN operators o ON o.id = m.operator_id
  CROSS JOIN LATERAL (
    SELECT count(*)::int AS assigned FROM chats a WHERE a.operator_id = o.id AND a.status <> 'closed'
  ) workload
  WHERE o.status = 'online' AND workload.assigned < o.max_active_chats`;

/** The only reader and writer of `queues` and its members`. */
@Injectable()
export class QueueRepository {
  constructor(private readonly transactions: Transactions) {}

  // routing: queues, members, free operators, the chats routing can move
  /** Resolves to the new queue's id; AppError CONFLICT when another queue has the name. */
  async create(queue: { name: string; routingRule: string; members: Operator[] }): Promise<string> {
    const saved = await withUniqueName(() => this.transactions.manager.save(Queue, { ...queue }));
    return saved.id;
  }

  /** Every queue with its members, oldest first. */
  listWithMembers(): Promise<Queue[]> {
    return this.transactions.manager.find(Queue, { relations: { members: true }, order: { createdAt: 'ASC' } });
  }

  findWithMembers(id: string): Promise<Queue | null> {
    return this.transactions.manager.findOne(Queue, { where: { id }, relations: { members: true } });
  }

  exists(id: string): Promise<boolean> {
    return this.transactions.manager.existsBy(Queue, { id });
  }

  /** Fields left undefined stay; `members`, when given, replaces the membership. AppError CONFLICT on a taken name. */
  async update(id: string, changes: { name?: string; routingRule?: string; members?: Operator[] }): Promise<void> {
    await withUniqueName(() => this.transactions.manager.save(Queue, { id, ...changes }));
  }

  async delete(id: string): Promise<void> {
    await this.transactions.manager.delete(Queue, id);
  }

  /** Whether chats wait unanswered in the queue (offered or not). */
  hasWaitingChats(queueId: string): Promise<boolean> {
    return this.transactions.manager.existsBy(Chat, { queueId, status: 'queued' });
  }

  /**
   * The queue's free operators, longest without a new chat first: never assigned before anyone,
   * then by oldest lastAssignedAt, then by id. Ordering here keeps the timestamps' microseconds.
   */
  freeOperators(queueId: string): Promise<FreeOperator[]> {
    return this.transactions.manager.query(
      `SELECT o.id, workload.assigned AS "assignedChats", o.max_active_chats AS "maxActiveChats",
              o.last_assigned_at AS "lastAssignedAt"
         FROM ${FREE_QUEUE_MEMBERS} AND m.queue_id = $1
        ORDER BY o.last_assigned_at NULLS FIRST, o.id`,
      [queueId],
    );
  }

  /** Whether the operator may take one more chat from the queue; trustworthy only while holding the operator's row lock. */
  async isFreeOperator(queueId: string, operatorId: string): Promise<boolean> {
    const rows = await this.transactions.manager.query<unknown[]>(
      `SELECT 1 FROM ${FREE_QUEUE_MEMBERS} AND m.queue_id = $1 AND o.id = $2`,
      [queueId, operatorId],
    );
    return rows.length > 0;
  }

  /**
   * Unassigned waiting chats of queues with one of `routingRules`, oldest first, after the chat
   * `after` (keyset); queues where nobody is free are skipped: their chats cannot move now.
   */
  chatsToRoute(routingRules: string[], after: string | null, limit: number): Promise<ChatToRoute[]> {
    return this.transactions.manager.query(
      `SELECT c.id, c.queue_id AS "queueId", c.operator_id AS "operatorId", q.routing_rule AS "routingRule"
         FROM chats c JOIN queues q ON q.id = c.queue_id
        WHERE c.status = 'queued' AND c.operator_id IS NULL AND q.routing_rule = ANY($1)
          AND ($2::uuid IS NULL OR (c.created_at, c.id) > (SELECT created_at, id FROM chats WHERE id = $2))
          AND EXISTS (SELECT 1 FROM ${FREE_QUEUE_MEMBERS} AND m.queue_id = c.queue_id)
        ORDER BY c.created_at, c.id
        LIMIT $3`,
      [routingRules, after, limit],
    );
  }

  // Events: who is told about a queue's chats.

  /** The queues an operator is a member of. */
  async queueIdsOfOperator(operatorId: string): Promise<string[]> {
    const rows = await this.transactions.manager.query<{ queueId: string }[]>(
      `SELECT queue_id AS "queueId" FROM queue_members WHERE operator_id = $1`,
      [operatorId],
    );
    return rows.map((row) => row.queueId);
  }
}

function withUniqueName<T>(write: () => Promise<T>): Promise<T> {
  return onUniqueViolation(write, () => new AppError('CONFLICT', 'Another queue already has this name', 'name'));
}
