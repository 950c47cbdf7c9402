import { planRetry } from '../messaging/work-queue/backoff-policy';
import { pauseReason, WebhookDeliveryPolicy } from './webhook-delivery.policy';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const NO_JITTER = () => 0.5;

describe(`${planRetry.name} with the event-webhook schedule`, () => {
  const policy = new WebhookDeliveryPolicy();

  it.each([
    [1, 5 * SECOND],
    [2, 30 * SECOND],
    [3, 2 * MINUTE],
    [4, 10 * MINUTE],
    [5, 30 * MINUTE],
    [6, HOUR],
    [7, 2 * HOUR],
    [8, 4 * HOUR],
    [9, 4 * HOUR],
    [30, 4 * HOUR],
  ])('waits after failed attempt %i: %i ms', (attempt, wait) => {
    expect(planRetry(policy.backoff, attempt, 0, undefined, NO_JITTER)).toEqual({ retryInMs: wait });
  });

  it('varies each wait by at most 10% either way', () => {
    expect(planRetry(policy.backoff, 2, 0, undefined, () => 0)).toEqual({ retryInMs: 27 * SECOND });
    expect(planRetry(policy.backoff, 2, 0, undefined, () => 1)).toEqual({ retryInMs: 33 * SECOND });
    for (let sample = 0; sample < 100; sample++) {
      const plan = planRetry(policy.backoff, 3, 0) as { retryInMs: number };
      expect(plan.retryInMs).toBeGreaterThanOrEqual(108 * SECOND);
      expect(plan.retryInMs).toBeLessThanOrEqual(132 * SECOND);
    }
  });

  it('waits at least as long as Retry-After asks, up to the longest scheduled wait', () => {
    expect(planRetry(policy.backoff, 1, 0, 90 * SECOND, NO_JITTER)).toEqual({ retryInMs: 90 * SECOND });
    expect(planRetry(policy.backoff, 3, 0, SECOND, NO_JITTER)).toEqual({ retryInMs: 2 * MINUTE });
    expect(planRetry(policy.backoff, 1, 0, 7 * 24 * HOUR, NO_JITTER)).toEqual({ retryInMs: 4 * HOUR });
  });

  it('gives up when the next attempt would fall outside the 24 hour window', () => {
    expect(planRetry(policy.backoff, 12, 20 * HOUR - SECOND, undefined, NO_JITTER)).toEqual({ retryInMs: 4 * HOUR });
    expect(planRetry(policy.backoff, 13, 20 * HOUR + SECOND, undefined, NO_JITTER)).toEqual({ giveUp: true });
  });

  it('keeps retrying for about a day: 13 attempts, the last before the window ends', () => {
    let ageMs = 0;
    let attempts = 1;
    for (let plan = planRetry(policy.backoff, attempts, ageMs, undefined, NO_JITTER); 'retryInMs' in plan;) {
      ageMs += plan.retryInMs;
      attempts++;
      plan = planRetry(policy.backoff, attempts, ageMs, undefined, NO_JITTER);
    }

    expect(attempts).toBe(13);
    expect(ageMs).toBeGreaterThan(23 * HOUR);
    expect(ageMs).toBeLessThanOrEqual(24 * HOUR);
  });

  it('follows an adjusted schedule, repeating its last wait', () => {
    const quick = Object.assign(new WebhookDeliveryPolicy(), { retryScheduleMs: [100, 200], jitterRatio: 0 });

    expect([1, 2, 3].map((attempt) => planRetry(quick.backoff, attempt, 0))).toEqual([
      { retryInMs: 100 },
      { retryInMs: 200 },
      { retryInMs: 200 },
    ]);
  });
});

describe(pauseReason.name, () => {
  const policy = new WebhookDeliveryPolicy();

  it('keeps a subscription that failed often but not for long, or long but not often', () => {
    expect(pauseReason(policy, { consecutiveFailures: 500, failingForMs: 23 * HOUR }, 'HTTP 500')).toBeUndefined();
    expect(pauseReason(policy, { consecutiveFailures: 19, failingForMs: 48 * HOUR }, 'HTTP 500')).toBeUndefined();
  });

  it('pauses one that failed 20 times in a row over a day, saying why and how to resume', () => {
    const sut = pauseReason(policy, { consecutiveFailures: 20, failingForMs: 25 * HOUR }, 'HTTP 503: down');

    expect(sut).toBe(
      'Paused after 20 failed attempts in a row over 25 h without a success (last: HTTP 503: down). ' +
        'Fix the receiver, then resume with PATCH {"active": true}',
    );
  });
});
