import { ProviderError, ProviderErrorCode } from '../contracts/provider-error';
import { BackoffPolicy, planRetry } from './backoff-policy';

/**
 * What failed:
 * - `delivery`: sending one item through its target (a reply through its channel, an event to a
 *   webhook subscriber). A refusal of our credentials is the target's, so the target is paused.
 * - `job`: background work on a channel's behalf (profile fetch, attachment download). It may reach
 *   endpoints that need more than the channel's traffic does (Meta's profile API, a file host), so
 *   a refusal fails the job, not the channel.
 * - `channel`: an operation on the channel itself (a poll, a credentials check, a registration),
 *   where no item can be at fault: whatever does not pass is the channel's.
 */
export type FailureScope = 'delivery' | 'job' | 'channel';

/**
 * - `retry`: the same work again later; the attempt counts.
 * - `pause`: the target (the channel, or an event webhook's subscription) refuses us until someone
 *   fixes it: pause it and record why; the item waits with it, not failed.
 * - `fail`: the item itself is at fault: it fails with the reason, at once.
 */
export type FailureAction = 'retry' | 'pause' | 'fail';

const ACTIONS: Record<ProviderErrorCode, Record<FailureScope, FailureAction>> = {
  TEMPORARY: { delivery: 'retry', job: 'retry', channel: 'retry' },
  RATE_LIMITED: { delivery: 'retry', job: 'retry', channel: 'retry' },
  AUTH_FAILED: { delivery: 'pause', job: 'fail', channel: 'pause' },
  NOT_FOUND: { delivery: 'fail', job: 'fail', channel: 'pause' },
  PERMANENT: { delivery: 'fail', job: 'fail', channel: 'pause' },
};

/** The one table of what a provider's failure code means; every caller reads it here. */
export function failureAction(code: ProviderErrorCode, scope: FailureScope): FailureAction {
  return ACTIONS[code][scope];
}

/** A retry that would come after the backoff's last attempt or age limit becomes a dead letter instead. */
export type FailureDecision =
  { action: 'retry'; retryInMs: number } | { action: 'pause' | 'fail' | 'dead-letter'; reason: string };

export interface FailedAttempt {
  scope: FailureScope;
  /** How many attempts have failed, this one included. */
  failedAttempts: number;
  /** How long ago the item was queued, for a backoff with an age limit. */
  ageMs?: number;
  backoff: BackoffPolicy;
}

/**
 * The provider-failure policy: what to do after a failed attempt. A retry waits as the backoff says
 * (at least the provider's Retry-After); past its limits the item is dead-lettered.
 */
export function decideFailure(
  failure: ProviderError,
  attempt: FailedAttempt,
  random: () => number = Math.random,
): FailureDecision {
  const action = failureAction(failure.code, attempt.scope);
  if (action !== 'retry') return { action, reason: failure.message };
  const plan = planRetry(attempt.backoff, attempt.failedAttempts, attempt.ageMs, failure.retryAfterMs, random);
  return 'retryInMs' in plan
    ? { action, retryInMs: plan.retryInMs }
    : { action: 'dead-letter', reason: failure.message };
}
