import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { ProviderError } from '../contracts/provider-error';
import { WorkLoops } from '../work-loops/work-loops.service';
import { decideFailure } from './provider-failure.policy';
import { ClaimedWork, Postponed, WorkSource } from './work-source';

/**
 * The one leased work queue: the outbox, background jobs and event-webhook deliveries are its
 * sources. A pass claims a batch of due items (SKIP LOCKED, so instances share the work, leased
 * so that a dead process's items come back), performs them concurrently and settles each outcome
 * guarded by its attempt number. A failure goes through the provider-failure policy: retry with
 * the source's backoff, pause the target, fail the item, or dead-letter it past its limits.
 */
@Injectable()
export class WorkQueueRunner {
  private readonly logger = new Logger(WorkQueueRunner.name);

  constructor(
    private readonly loops: WorkLoops,
    private readonly config: AppConfig,
  ) {}

  /** Declares the source's loop; call it from the source's constructor. */
  serve<TItem extends ClaimedWork, TResult>(source: WorkSource<TItem, TResult>): void {
    this.loops.define({
      name: source.name,
      intervalMs: this.config.env.WORKER_POLL_INTERVAL_MS,
      batchSize: source.batchSize,
      runOnce: (limit) => this.runBatch(source, limit),
    });
  }

  /** Looks for the source's due items now rather than at the next tick. */
  wake(source: { name: string }): void {
    this.loops.wake(source.name);
  }

  /** One pass: claims up to `limit` items, performs and settles them; resolves to how many it claimed. */
  async runBatch<TItem extends ClaimedWork, TResult>(
    source: WorkSource<TItem, TResult>,
    limit: number,
  ): Promise<number> {
    const claimed = await source.claim(limit);
    await Promise.all(claimed.map((item) => this.process(source, item)));
    return claimed.length;
  }

  private async process<TItem extends ClaimedWork, TResult>(
    source: WorkSource<TItem, TResult>,
    item: TItem,
  ): Promise<void> {
    const startedAt = Date.now();
    try {
      if (item.exhausted) return await this.giveUpAbandoned(source, item);
      let result: TResult | Postponed;
      try {
        result = await source.perform(item);
      } catch (error) {
        return await this.settleFailure(source, item, ProviderError.from(error), Date.now() - startedAt);
      }
      if (result instanceof Postponed) await this.postpone(source, item, result.delayMs);
      else await source.complete(item, result);
    } catch (error) {
      // The lease lapses and the item is attempted again: at least once, never lost.
      this.logger.error(
        `${source.name} ${item.id}: could not record the outcome of attempt ${item.attempts}: ${(error as Error).message}`,
      );
    }
  }

  private async settleFailure<TItem extends ClaimedWork, TResult>(
    source: WorkSource<TItem, TResult>,
    item: TItem,
    failure: ProviderError,
    elapsedMs: number,
  ): Promise<void> {
    const decision = decideFailure(failure, {
      scope: source.failureScope,
      failedAttempts: item.attempts,
      ageMs: item.ageMs === undefined ? undefined : item.ageMs + elapsedMs,
      backoff: source.backoff,
    });
    const what = `${source.name} ${item.id} attempt ${item.attempts} failed (${failure.code}): ${failure.message}`;
    switch (decision.action) {
      case 'retry':
        this.logger.warn(`${what}; retrying in ${decision.retryInMs} ms`);
        return source.retry(item, failure, decision.retryInMs);
      case 'pause':
        if (!source.pause) {
          this.logger.warn(`${what}; not retried`);
          return source.giveUp(item, failure);
        }
        this.logger.warn(`${what}; its target is paused until fixed, the item waits`);
        return source.pause(item, failure);
      case 'fail':
        this.logger.warn(`${what}; not retried`);
        return source.giveUp(item, failure);
      case 'dead-letter':
        this.logger.warn(`${what}; gave up after ${item.attempts} attempts`);
        return source.giveUp(item, failure);
    }
  }

  /** The previous attempt was the last and its process died mid-way: nobody knows its outcome, and it is not repeated. */
  private async giveUpAbandoned<TItem extends ClaimedWork, TResult>(
    source: WorkSource<TItem, TResult>,
    item: TItem,
  ): Promise<void> {
    const reason = `no outcome known for the last attempt; gave up after ${item.attempts} attempts`;
    this.logger.warn(`${source.name} ${item.id}: ${reason}`);
    await source.giveUp(item, new ProviderError('TEMPORARY', item.lastError ? `${item.lastError}; ${reason}` : reason));
  }

  private async postpone<TItem extends ClaimedWork, TResult>(
    source: WorkSource<TItem, TResult>,
    item: TItem,
    delayMs: number,
  ): Promise<void> {
    if (!source.postpone) throw new Error(`${source.name} cannot postpone an item`);
    await source.postpone(item, delayMs);
  }
}
