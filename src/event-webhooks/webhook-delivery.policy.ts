import { Injectable } from '@nestjs/common';
import { BackoffPolicy } from '../messaging/work-queue/backoff-policy';

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

  /**
   * The schedule above as parameters of the work queue's one backoff policy: the listed waits (the
   * last one repeats, as the cap), jittered either way, a Retry-After honoured up to the longest
   * wait, and no attempt limit but the retry window.
   */
  get backoff(): BackoffPolicy {
    const longest = Math.max(...this.retryScheduleMs);
    return {
      waitsMs: this.retryScheduleMs,
      capMs: longest,
      jitter: [1 - this.jitterRatio, 1 + this.jitterRatio],
      retryAfterCapMs: longest,
      maxAgeMs: this.retryWindowMs,
    };
  }
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
