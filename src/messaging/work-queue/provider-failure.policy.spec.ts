import { ProviderError, ProviderErrorCode } from '../contracts/provider-error';
import { BackoffPolicy } from './backoff-policy';
import { decideFailure, FailureDecision, FailureScope } from './provider-failure.policy';

/** Waits 1 s, 2 s, 4 s … without jitter; three attempts at most. */
const THREE_ATTEMPTS: BackoffPolicy = { waitsMs: [1_000], capMs: 60_000, jitter: [1, 1], maxAttempts: 3 };
/** 100 ms apart, for at most 10 s after the item was queued. */
const TEN_SECONDS: BackoffPolicy = { waitsMs: [100], capMs: 100, jitter: [1, 1], maxAgeMs: 10_000 };

describe(decideFailure.name, () => {
  it.each<[ProviderErrorCode, FailureScope, number, number | undefined, FailureDecision]>([
    // code, scope, attempts failed, Retry-After: decision
    ['TEMPORARY', 'delivery', 1, undefined, { action: 'retry', retryInMs: 1_000 }],
    ['TEMPORARY', 'delivery', 2, undefined, { action: 'retry', retryInMs: 2_000 }],
    ['TEMPORARY', 'delivery', 3, undefined, { action: 'dead-letter', reason: 'boom' }],
    ['RATE_LIMITED', 'delivery', 1, 30_000, { action: 'retry', retryInMs: 30_000 }],
    ['RATE_LIMITED', 'delivery', 2, 500, { action: 'retry', retryInMs: 2_000 }],
    ['RATE_LIMITED', 'delivery', 3, 500, { action: 'dead-letter', reason: 'boom' }],
    ['AUTH_FAILED', 'delivery', 1, undefined, { action: 'pause', reason: 'boom' }],
    ['AUTH_FAILED', 'delivery', 3, undefined, { action: 'pause', reason: 'boom' }],
    ['NOT_FOUND', 'delivery', 1, undefined, { action: 'fail', reason: 'boom' }],
    ['PERMANENT', 'delivery', 1, undefined, { action: 'fail', reason: 'boom' }],
    ['TEMPORARY', 'job', 1, undefined, { action: 'retry', retryInMs: 1_000 }],
    ['TEMPORARY', 'job', 3, undefined, { action: 'dead-letter', reason: 'boom' }],
    ['RATE_LIMITED', 'job', 2, 45_000, { action: 'retry', retryInMs: 45_000 }],
    ['AUTH_FAILED', 'job', 1, undefined, { action: 'fail', reason: 'boom' }],
    ['NOT_FOUND', 'job', 1, undefined, { action: 'fail', reason: 'boom' }],
    ['PERMANENT', 'job', 1, undefined, { action: 'fail', reason: 'boom' }],
    ['TEMPORARY', 'channel', 2, undefined, { action: 'retry', retryInMs: 2_000 }],
    ['RATE_LIMITED', 'channel', 1, 90_000, { action: 'retry', retryInMs: 90_000 }],
    ['AUTH_FAILED', 'channel', 1, undefined, { action: 'pause', reason: 'boom' }],
    ['NOT_FOUND', 'channel', 1, undefined, { action: 'pause', reason: 'boom' }],
    ['PERMANENT', 'channel', 1, undefined, { action: 'pause', reason: 'boom' }],
  ])('%s on a %s, attempt %i failed, Retry-After %p: %o', (code, scope, failedAttempts, retryAfterMs, decision) => {
    const failure = new ProviderError(code, 'boom', retryAfterMs);

    expect(decideFailure(failure, { scope, failedAttempts, backoff: THREE_ATTEMPTS })).toEqual(decision);
  });

  it('dead-letters a retry that would come after the age limit', () => {
    const failure = new ProviderError('TEMPORARY', 'still down');

    expect(
      decideFailure(failure, { scope: 'delivery', failedAttempts: 7, ageMs: 9_900, backoff: TEN_SECONDS }),
    ).toEqual({
      action: 'retry',
      retryInMs: 100,
    });
    expect(
      decideFailure(failure, { scope: 'delivery', failedAttempts: 7, ageMs: 9_901, backoff: TEN_SECONDS }),
    ).toEqual({
      action: 'dead-letter',
      reason: 'still down',
    });
  });

  it('draws the wait from the backoff jitter band', () => {
    const jittered: BackoffPolicy = { ...THREE_ATTEMPTS, jitter: [0.5, 1] };
    const failure = new ProviderError('TEMPORARY', 'boom');

    expect(decideFailure(failure, { scope: 'delivery', failedAttempts: 2, backoff: jittered }, () => 0)).toEqual({
      action: 'retry',
      retryInMs: 1_000,
    });
  });
});
