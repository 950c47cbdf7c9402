import { Injectable } from '@nestjs/common';
import type { Operator } from '../operator.entity';

/** How long a token looked up by hash is trusted without asking the database again (other instances: at most this stale). */
const TOKEN_CACHE_MS = 5_000;

/** Operators by token hash, so an agent's every request does not cost a lookup; cleared here when a token changes. */
@Injectable()
export class OperatorTokenCache {
  private readonly entries = new Map<string, { operator: Operator; expiresAt: number }>();

  get(tokenHash: string): Operator | undefined {
    const entry = this.entries.get(tokenHash);
    if (entry && entry.expiresAt > Date.now()) return entry.operator;
    this.entries.delete(tokenHash);
    return undefined;
  }

  set(tokenHash: string, operator: Operator): void {
    this.entries.set(tokenHash, { operator, expiresAt: Date.now() + TOKEN_CACHE_MS });
  }

  /** After a rotation, a deletion or a change to the operator. */
  forgetOperator(operatorId: string): void {
    for (const [hash, entry] of this.entries) if (entry.operator.id === operatorId) this.entries.delete(hash);
  }
}
