/**
 * The one retry schedule of the work queue, given as parameters: the waits after the first failed
 * attempts (then each wait doubles), a cap, a jitter band, and when to give up. The outbox, the
 * jobs, polling and event webhooks differ only in these numbers.
 */
export interface BackoffPolicy {
  /** The wait after the 1st, 2nd, … failed attempt; past the end of the list each wait doubles the one before. */
  readonly waitsMs: readonly number[];
  /** No scheduled wait is longer. */
  readonly capMs: number;
  /** Each wait is drawn from this share of the scheduled one: [0, 1] is full jitter, [1, 1] none. */
  readonly jitter: readonly [low: number, high: number];
  /** A Retry-After is honoured up to this long; without it, however long it asks. */
  readonly retryAfterCapMs?: number;
  /** Give up once this many attempts have failed. */
  readonly maxAttempts?: number;
  /** Give up when the next attempt would come later than this after the item was queued. */
  readonly maxAgeMs?: number;
}

/** Provider calls (sends, jobs, polls): 1 s, 2 s, 4 s, … up to 5 minutes, each wait between half and all of that. */
export const PROVIDER_BACKOFF: BackoffPolicy = { waitsMs: [1_000], capMs: 5 * 60_000, jitter: [0.5, 1] };

export type RetryPlan = { retryInMs: number } | { giveUp: true };

/**
 * What to do after an item's `failedAttempts`-th failed attempt, `ageMs` after it was queued: wait
 * the scheduled time (jittered, and at least the provider's Retry-After), or give up when the
 * attempts are used up or the wait would end past the age limit.
 */
export function planRetry(
  policy: BackoffPolicy,
  failedAttempts: number,
  ageMs = 0,
  retryAfterMs?: number,
  random: () => number = Math.random,
): RetryPlan {
  if (policy.maxAttempts !== undefined && failedAttempts >= policy.maxAttempts) return { giveUp: true };
  const [low, high] = policy.jitter;
  const jittered = scheduledWaitMs(policy, failedAttempts) * (low + random() * (high - low));
  const asked = Math.min(retryAfterMs ?? 0, policy.retryAfterCapMs ?? Infinity);
  const retryInMs = Math.round(Math.max(jittered, asked));
  if (policy.maxAgeMs !== undefined && ageMs + retryInMs > policy.maxAgeMs) return { giveUp: true };
  return { retryInMs };
}

function scheduledWaitMs({ waitsMs, capMs }: BackoffPolicy, failedAttempts: number): number {
  const attempt = Math.max(failedAttempts, 1);
  const listed = waitsMs[Math.min(attempt, waitsMs.length) - 1];
  return Math.min(capMs, listed * 2 ** Math.max(0, attempt - waitsMs.length));
}
