import { Injectable } from '@nestjs/common';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * When event webhooks are retried and when a subscription is paused. Injected, so a test can
 * shorten the timings of a running app; the defaults are the production behaviour.
 */
@Injectable()
export class WebhookDeliveryPolicy {
  /** The wait after the 1st, 2nd, … failed attempt; the last wait repeats. */
  retryScheduleMs: readonly number[] = [
    5 * SECOND,
    30 * SECOND,
    2 * MINUTE,
    10 * MINUTE,
    30 * MINUTE,
    HOUR,
    2 * HOUR,
    4 * HOUR,
  ];
  /** Each wait varies by up to this share either way, so a recovering receiver is not hit all at once. */
  jitterRatio = 0.1;
  /** A delivery still failing this long after it was queued (or replayed) fails for good. */
  retryWindowMs = 24 * HOUR;
  /** A subscription is paused after at least this many failed attempts in a row … */
  pauseAfterFailures = 20;
  /** … spanning at least this long without a single success. */
  pauseAfterFailingForMs = 24 * HOUR;
  /** The Standard Webhooks guidance is 15 to 30 seconds. */
  requestTimeoutMs = 15 * SECOND;
}

export type RetryPlan = { retryInMs: number } | { giveUp: true };

/**
 * What to do after a delivery's `failedAttempts`-th failed attempt, `ageMs` after it was queued:
 * wait the scheduled delay (with jitter, and at least the receiver's Retry-After, capped at the
 * longest scheduled delay), or give up when that wait would end outside the retry window.
 */
export function planRetry(
  policy: WebhookDeliveryPolicy,
  failedAttempts: number,
  ageMs: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): RetryPlan {
  const schedule = policy.retryScheduleMs;
  const scheduled = schedule[Math.min(Math.max(failedAttempts, 1), schedule.length) - 1];
  const jittered = scheduled * (1 + policy.jitterRatio * (2 * random() - 1));
  const longest = Math.max(...schedule);
  const retryInMs = Math.round(Math.max(jittered, Math.min(retryAfterMs ?? 0, longest)));
  return ageMs + retryInMs > policy.retryWindowMs ? { giveUp: true } : { retryInMs };
}

export interface SubscriptionHealth {
  consecutiveFailures: number;
  failingForMs: number;
}

/** Why a subscription should be paused after a failed attempt, or undefined to keep it going. */
export function pauseReason(
  policy: WebhookDeliveryPolicy,
  health: SubscriptionHealth,
  lastError: string,
): string | undefined {
  if (health.consecutiveFailures < policy.pauseAfterFailures || health.failingForMs < policy.pauseAfterFailingForMs) {
    return undefined;
  }
  return (
    `Paused after ${health.consecutiveFailures} failed attempts in a row over ${describeDuration(health.failingForMs)} ` +
    `without a success (last: ${lastError}). Fix the receiver, then resume with PATCH {"active": true}`
  );
}

/** The receiver answered 410 Gone: Standard Webhooks asks senders to stop at once. */
export const GONE_PAUSE_REASON =
  'The receiver answered 410 Gone: it wants no more deliveries. Resume with PATCH {"active": true} when it does';

function describeDuration(ms: number): string {
  if (ms >= HOUR) return `${Math.floor(ms / HOUR)} h`;
  if (ms >= MINUTE) return `${Math.floor(ms / MINUTE)} min`;
  return `${Math.floor(ms / SECOND)} s`;
}
