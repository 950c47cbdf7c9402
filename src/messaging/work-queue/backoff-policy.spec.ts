import { BackoffPolicy, planRetry, PROVIDER_BACKOFF } from './backoff-policy';

const FIVE_MINUTES = 5 * 60_000;
/** The largest value Math.random can return. */
const ALMOST_ONE = 1 - Number.EPSILON;

/** The wait PROVIDER_BACKOFF plans after a failed attempt (it never gives up on its own). */
function retryDelayMs(attempt: number, random?: () => number): number {
  const plan = planRetry(PROVIDER_BACKOFF, attempt, 0, undefined, random);
  if (!('retryInMs' in plan)) throw new Error('PROVIDER_BACKOFF gave up');
  return plan.retryInMs;
}

describe(planRetry.name, () => {
  describe('with PROVIDER_BACKOFF', () => {
    it.each([
      [1, 1_000],
      [2, 2_000],
      [3, 4_000],
      [4, 8_000],
      [9, 256_000],
    ])('keeps attempt %i within [ceiling/2, ceiling] for a ceiling of %i ms', (attempt, ceiling) => {
      expect(retryDelayMs(attempt, () => 0)).toBe(ceiling / 2);
      expect(retryDelayMs(attempt, () => 0.5)).toBe((ceiling * 3) / 4);
      expect(retryDelayMs(attempt, () => ALMOST_ONE)).toBe(ceiling);
    });

    it('doubles the ceiling with each attempt', () => {
      const highest = [1, 2, 3, 4, 5, 6].map((attempt) => retryDelayMs(attempt, () => ALMOST_ONE));

      expect(highest).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000]);
    });

    it.each([10, 11, 20, 100, 10_000])('caps attempt %i at five minutes', (attempt) => {
      expect(retryDelayMs(attempt, () => ALMOST_ONE)).toBe(FIVE_MINUTES);
      expect(retryDelayMs(attempt, () => 0)).toBe(FIVE_MINUTES / 2);
    });

    it('treats attempt 0 or less like the first attempt', () => {
      expect(retryDelayMs(0, () => ALMOST_ONE)).toBe(1_000);
      expect(retryDelayMs(-3, () => 0)).toBe(500);
    });

    it('is deterministic for an injected random source', () => {
      const random = () => 0.3125;

      expect(retryDelayMs(5, random)).toBe(retryDelayMs(5, random));
      expect(retryDelayMs(5, random)).toBe(8_000 + 0.3125 * 8_000);
    });

    it('returns whole milliseconds', () => {
      expect(retryDelayMs(1, () => 0.0017)).toBe(501);
    });

    it('stays within bounds with the default random source', () => {
      for (let attempt = 1; attempt <= 12; attempt++) {
        const ceiling = Math.min(FIVE_MINUTES, 1_000 * 2 ** (attempt - 1));
        for (let sample = 0; sample < 50; sample++) {
          const delay = retryDelayMs(attempt);
          expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
          expect(delay).toBeLessThanOrEqual(ceiling);
        }
      }
    });

    it('waits as long as a provider asks, however long that is', () => {
      expect(planRetry(PROVIDER_BACKOFF, 1, 0, 15 * 60_000, () => 0)).toEqual({ retryInMs: 15 * 60_000 });
      expect(planRetry(PROVIDER_BACKOFF, 3, 0, 1_000, () => 0)).toEqual({ retryInMs: 2_000 });
    });
  });

  describe('with limits', () => {
    const limited: BackoffPolicy = {
      waitsMs: [100, 1_000],
      capMs: 4_000,
      jitter: [1, 1],
      retryAfterCapMs: 4_000,
      maxAttempts: 5,
      maxAgeMs: 60_000,
    };

    it('follows the listed waits, then doubles the last one up to the cap', () => {
      expect([1, 2, 3, 4].map((attempt) => planRetry(limited, attempt))).toEqual([
        { retryInMs: 100 },
        { retryInMs: 1_000 },
        { retryInMs: 2_000 },
        { retryInMs: 4_000 },
      ]);
    });

    it('gives up once maxAttempts attempts have failed', () => {
      expect(planRetry(limited, 4)).toEqual({ retryInMs: 4_000 });
      expect(planRetry(limited, 5)).toEqual({ giveUp: true });
    });

    it('gives up when the next attempt would come after maxAgeMs', () => {
      expect(planRetry(limited, 2, 59_000)).toEqual({ retryInMs: 1_000 });
      expect(planRetry(limited, 2, 59_001)).toEqual({ giveUp: true });
    });

    it('honours a Retry-After only up to retryAfterCapMs', () => {
      expect(planRetry(limited, 1, 0, 3_000)).toEqual({ retryInMs: 3_000 });
      expect(planRetry(limited, 1, 0, 3_600_000)).toEqual({ retryInMs: 4_000 });
    });

    it('draws full jitter from zero up to the scheduled wait', () => {
      const fullJitter: BackoffPolicy = { ...limited, jitter: [0, 1] };

      expect(planRetry(fullJitter, 2, 0, undefined, () => 0)).toEqual({ retryInMs: 0 });
      expect(planRetry(fullJitter, 2, 0, undefined, () => 0.25)).toEqual({ retryInMs: 250 });
    });
  });
});
