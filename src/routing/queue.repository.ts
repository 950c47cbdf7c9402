import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';

/** The only reader and writer of `queues` and its members`. */
@Injectable()
export class QueueRepository {
  constructor(private readonly transactions: Transactions) {}

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
