import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { Transactions } from '../database/transactions';
import { onUniqueViolation } from '../database/unique-violation';
import { Operator, OperatorStatus } from './operator.entity';

/** What an admin may change on an operator, and what the service sets besides. */
export type OperatorChanges = Partial<Pick<Operator, 'name' | 'email' | 'maxActiveChats' | 'status' | 'tokenHash'>>;

/** The only reader and writer of `operators`. */
@Injectable()
export class OperatorRepository {
  constructor(private readonly transactions: Transactions) {}

  /** Resolves to the new operator's id; AppError CONFLICT when another operator has the email. */
  async create(operator: Pick<Operator, 'name' | 'email' | 'maxActiveChats' | 'tokenHash'>): Promise<string> {
    const saved = await withUniqueEmail(() => this.transactions.manager.save(Operator, { ...operator }));
    return saved.id;
  }

  /** Oldest first. */
  list(): Promise<Operator[]> {
    return this.transactions.manager.find(Operator, { order: { createdAt: 'ASC' } });
  }

  findById(id: string): Promise<Operator | null> {
    return this.transactions.manager.findOneBy(Operator, { id });
  }

  /** The operator whose API token has this hash. */
  findByTokenHash(tokenHash: string): Promise<Operator | null> {
    return this.transactions.manager.findOneBy(Operator, { tokenHash });
  }

  /** Those of `ids` that exist. */
  findByIds(ids: string[]): Promise<Operator[]> {
    return this.transactions.manager.findBy(Operator, { id: In(ids) });
  }

  async exists(id: string): Promise<boolean> {
    return this.transactions.manager.existsBy(Operator, { id });
  }

  /** AppError CONFLICT when the new email is another operator's. */
  async update(id: string, changes: OperatorChanges): Promise<void> {
    await withUniqueEmail(() => this.transactions.manager.update(Operator, id, changes));
  }

  async setStatus(id: string, status: OperatorStatus): Promise<void> {
    await this.transactions.manager.update(Operator, id, { status });
  }

  async delete(id: string): Promise<void> {
    await this.transactions.manager.delete(Operator, id);
  }

  /**
   * Locks the operator's row until the transaction ends: whoever assigns chats to this operator
   * takes it first, so the load they count next is exact.
   */
  async lockForAssignment(id: string): Promise<void> {
    await this.transactions.manager.query(`SELECT id FROM operators WHERE id = $1 FOR UPDATE`, [id]);
  }

  /** Stamps the assignment time; clock_timestamp, not now(): round robin needs the order of assignments, not of transactions. */
  async markAssigned(id: string): Promise<void> {
    await this.transactions.manager.query(`UPDATE operators SET last_assigned_at = clock_timestamp() WHERE id = $1`, [
      id,
    ]);
  }
}

function withUniqueEmail<T>(write: () => Promise<T>): Promise<T> {
  return onUniqueViolation(write, () => new AppError('CONFLICT', 'Another operator already has this email', 'email'));
}
