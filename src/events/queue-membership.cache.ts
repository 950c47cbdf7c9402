import { Injectable } from '@nestjs/common';
import { QueueRepository } from '../routing/queue.repository';

/** How long an operator's queue list is trusted; a membership change reaches open streams within it. */
export const QUEUE_MEMBERSHIP_TTL_MS = 5_000;

interface CachedMembership {
  queueIds: Promise<ReadonlySet<string>>;
  expiresAt: number;
}

/** The queues each operator belongs to, cached briefly because every live event on every stream asks. */
@Injectable()
export class QueueMembershipCache {
  private readonly entries = new Map<string, CachedMembership>();

  constructor(private readonly queues: QueueRepository) {}

  /** The ids of the queues `operatorId` is a member of, read at most {@link QUEUE_MEMBERSHIP_TTL_MS} ago. */
  queueIdsOf(operatorId: string): Promise<ReadonlySet<string>> {
    const cached = this.entries.get(operatorId);
    if (cached && cached.expiresAt > Date.now()) return cached.queueIds;
    const queueIds = this.readQueueIds(operatorId);
    this.entries.set(operatorId, { queueIds, expiresAt: Date.now() + QUEUE_MEMBERSHIP_TTL_MS });
    // A failed read is not cached: the next event asks the database again.
    queueIds.catch(() => this.entries.delete(operatorId));
    return queueIds;
  }

  private async readQueueIds(operatorId: string): Promise<ReadonlySet<string>> {
    return new Set(await this.queues.queueIdsOfOperator(operatorId));
  }
}
