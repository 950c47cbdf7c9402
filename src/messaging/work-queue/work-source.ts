import { ProviderError } from '../contracts/provider-error';
import { BackoffPolicy } from './backoff-policy';
import { FailureScope } from './provider-failure.policy';

/** One claimed item: leased to this attempt, which settles it by its attempt number. */
export interface ClaimedWork {
  id: string;
  /** This attempt's number, counted since the item was queued (or retried by an admin); settling is guarded by it. */
  attempts: number;
  /** How long ago the item was queued, when claimed; only sources with an age limit say. */
  ageMs?: number;
  /**
   * The previous attempt's lease lapsed (its process died) and it was the last one allowed: its
   * outcome is unknown, and it is not tried again.
   */
  exhausted?: boolean;
  /** Why the previous attempt failed, if it did. */
  lastError?: string | null;
}

/** What `perform` resolves to when the item must wait `delayMs` without its attempt counting (a send budget spent). */
export class Postponed {
  constructor(readonly delayMs: number) {}
}

/**
 * A table whose rows are work for the {@link WorkQueueRunner}: its claim and settle statements live
 * in that table's repository; the source says how to do one item and how to record each outcome.
 * Every settle is guarded by the item's attempt number, so an attempt whose lease lapsed (and was
 * claimed again) changes nothing.
 */
export interface WorkSource<TItem extends ClaimedWork, TResult> {
  /** Names the source's work loop and its log lines. */
  readonly name: string;
  /** How many items one claim takes. */
  readonly batchSize: number;
  /** When a failed item is retried, and when it is given up. */
  readonly backoff: BackoffPolicy;
  /** What the provider-failure policy takes a failure of this source's work to be about. */
  readonly failureScope: Exclude<FailureScope, 'channel'>;
  /** Claims up to `limit` due items in one statement (FOR UPDATE SKIP LOCKED), leasing each; a lapsed lease is due again. */
  claim(limit: number): Promise<TItem[]>;
  /** The work itself; throws (a ProviderError, ideally) when it fails. */
  perform(item: TItem): Promise<TResult | Postponed>;
  complete(item: TItem, result: TResult): Promise<void>;
  /** Back to the queue, due in `retryInMs`; the attempt counts. */
  retry(item: TItem, failure: ProviderError, retryInMs: number): Promise<void>;
  /** The target refuses us until it is fixed: pause it, and hold the item. Without it, the item fails. */
  pause?(item: TItem, failure: ProviderError): Promise<void>;
  /** Failed for good: the item is at fault, or out of attempts or time (a dead letter). */
  giveUp(item: TItem, failure: ProviderError): Promise<void>;
  /** Back to the queue, due in `delayMs`; the attempt does not count. Needed by sources whose `perform` postpones. */
  postpone?(item: TItem, delayMs: number): Promise<void>;
}
