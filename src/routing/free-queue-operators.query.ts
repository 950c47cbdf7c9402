import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FreeOperator } from './routing-rule';

/** FROM/WHERE of the online members of a queue whose open chats (offers and active ones) are under their maxActiveChats. */
function freeQueueMembers(queueIdSql: string): string {
  return `FROM queue_members m
          JOIN operators o ON o.id = m.operator_id
          CROSS JOIN LATERAL (
            SELECT count(*)::int AS assigned FROM chats a WHERE a.operator_id = o.id AND a.status <> 'closed'
          ) workload
         WHERE m.queue_id = ${queueIdSql} AND o.status = 'online' AND workload.assigned < o.max_active_chats`;
}

/** A condition on chats aliased `c`: someone in the chat's queue could take it now. */
export const CHAT_QUEUE_HAS_FREE_OPERATOR = `EXISTS (SELECT 1 ${freeQueueMembers('c.queue_id')})`;

/** The one definition of "free operator" shared by the routing rules and the router. */
@Injectable()
export class FreeQueueOperatorsQuery {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The queue's free operators, longest without a new chat first: never assigned before anyone,
   * then by oldest lastAssignedAt, then by id. Ordering here keeps the timestamps' microseconds.
   */
  inQueue(queueId: string): Promise<FreeOperator[]> {
    return this.dataSource.query(
      `SELECT o.id, workload.assigned AS "assignedChats", o.max_active_chats AS "maxActiveChats",
              o.last_assigned_at AS "lastAssignedAt"
         ${freeQueueMembers('$1')}
        ORDER BY o.last_assigned_at NULLS FIRST, o.id`,
      [queueId],
    );
  }

  /** Whether the operator may take one more chat from the queue; trustworthy only while holding the operator's row lock. */
  async isFree(manager: EntityManager, queueId: string, operatorId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 ${freeQueueMembers('$1')} AND o.id = $2`, [
      queueId,
      operatorId,
    ]);
    return rows.length > 0;
  }
}
