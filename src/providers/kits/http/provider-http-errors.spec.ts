import { AxiosError, AxiosHeaders } from 'axios';
import { parseRetryAfter } from '../../../common/http/retry-after';
import { classifyHttpFailure } from './provider-http-errors';

function httpError(status: number, data: unknown, headers: Record<string, string> = {}): AxiosError {
  const config = { headers: new AxiosHeaders() };
  return new AxiosError('failed', 'ERR_BAD_RESPONSE', config, null, {
    status,
    statusText: '',
    data,
    headers,
    config,
  });
}

describe(classifyHttpFailure.name, () => {
  const reason = (body: unknown) => (body as { error?: string }).error;

  it.each([
    [500, 'TEMPORARY'],
    [503, 'TEMPORARY'],
    [408, 'TEMPORARY'],
    [401, 'AUTH_FAILED'],
    [403, 'AUTH_FAILED'],
    [404, 'NOT_FOUND'],
    [400, 'PERMANENT'],
    [422, 'PERMANENT'],
  ])('maps HTTP %i to %s', (status, code) => {
    expect(classifyHttpFailure(httpError(status, { error: 'why' }), reason)).toMatchObject({
      code,
      message: `HTTP ${status}: why`,
    });
  });

  it('reads Retry-After on 429', () => {
    const sut = classifyHttpFailure(httpError(429, {}, { 'retry-after': '7' }), reason);
    expect(sut).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 7000, retryable: true });
  });

  it('treats a request with no answer as temporary', () => {
    const sut = classifyHttpFailure(new AxiosError('timeout', 'ECONNABORTED'), reason);
    expect(sut).toMatchObject({ code: 'TEMPORARY', message: 'the request timed out' });
  });
});

describe(parseRetryAfter.name, () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
