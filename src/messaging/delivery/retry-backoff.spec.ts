import { retryDelayMs } from './retry-backoff';

const FIVE_MINUTES = 5 * 60_000;
/** The largest value Math.random can return. */
const ALMOST_ONE = 1 - Number.EPSILON;

describe(retryDelayMs.name, () => {
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
});
