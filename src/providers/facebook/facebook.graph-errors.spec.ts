import { AxiosError, AxiosHeaders, AxiosResponse } from 'axios';
import { graphFailure } from './facebook.graph-errors';

const TOKEN = 'EAAGm0PX4ZCpsBAKx7rZCfakePageAccessToken0123456789';

/** A failed axios call answered with `status` and `body`, as Graph answers. */
function httpFailure(status: number, body: unknown, headers: Record<string, string> = {}): AxiosError {
  const config = { headers: new AxiosHeaders() };
  const response = { status, statusText: '', data: body, headers, config } as AxiosResponse;
  return new AxiosError(`Request failed with status code ${status}`, 'ERR_BAD_REQUEST', config, {}, response);
}

function graphBody(error: Record<string, unknown>): unknown {
  return { error: { type: 'OAuthException', fbtrace_id: 'AbCdEfGh1234567_xyz', ...error } };
}

describe(graphFailure.name, () => {
  it.each([4, 17, 32, 613])('treats throttling code %i as RATE_LIMITED whatever the HTTP status', (code) => {
    const failure = graphFailure(httpFailure(400, graphBody({ code, message: `(#${code}) limit` })), [TOKEN]);

    expect(failure.code).toBe('RATE_LIMITED');
    expect(failure.retryable).toBe(true);
    expect(failure.retryAfterMs).toBeUndefined();
  });

  it('honours a Retry-After header on throttling when one comes', () => {
    const failure = graphFailure(httpFailure(400, graphBody({ code: 613, message: 'x' }), { 'retry-after': '3' }), []);

    expect(failure).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 3000 });
  });

  it('fails a send outside the 24-hour window permanently, in Meta’s words with code, subcode and trace id', () => {
    const failure = graphFailure(
      httpFailure(
        400,
        graphBody({
          code: 10,
          error_subcode: 2018278,
          message: '(#10) This message is sent outside of allowed window.',
        }),
      ),
      [TOKEN],
    );

    expect(failure.code).toBe('PERMANENT');
    expect(failure.message).toBe(
      '(#10) This message is sent outside of allowed window. (Graph error 10/2018278, fbtrace_id AbCdEfGh1234567_xyz)',
    );
  });

  it.each([
    ['no matching user (100/2018001)', 100, 2018001],
    ['person not available (551)', 551, 1545041],
    ['permission missing (200)', 200, undefined],
  ])('treats %s as PERMANENT', (_case, code, subcode) => {
    const failure = graphFailure(httpFailure(400, graphBody({ code, error_subcode: subcode, message: 'refused' })), []);

    expect(failure.code).toBe('PERMANENT');
  });

  it('treats an invalid or expired token (190) as AUTH_FAILED', () => {
    const failure = graphFailure(
      httpFailure(400, graphBody({ code: 190, error_subcode: 463, message: 'Error validating access token' })),
      [TOKEN],
    );

    expect(failure).toMatchObject({ code: 'AUTH_FAILED' });
    expect(failure.message).toContain('Graph error 190/463');
  });

  it.each([
    ['an unexpected error (2)', 500, { code: 2, message: 'An unexpected error has occurred.' }],
    ['a temporary send failure (1200)', 400, { code: 1200, message: 'Temporary send message failure.' }],
    ['an error marked is_transient', 400, { code: 1, is_transient: true, message: 'Please reduce the amount of data' }],
    ['any Graph error under a 5xx', 503, { code: 100, message: 'Service unavailable' }],
  ])('treats %s as TEMPORARY', (_case, status, error) => {
    expect(graphFailure(httpFailure(status, graphBody(error)), []).code).toBe('TEMPORARY');
  });

  it('falls back to the HTTP status when the body is not a Graph error', () => {
    expect(graphFailure(httpFailure(502, '<html>Bad Gateway</html>'), [])).toMatchObject({
      code: 'TEMPORARY',
      message: 'HTTP 502: <html>Bad Gateway</html>',
    });
    expect(graphFailure(httpFailure(429, 'slow down', { 'retry-after': '2' }), [])).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterMs: 2000,
    });
  });

  it('reads a Graph error from a binary (download) body', () => {
    const body = Buffer.from(JSON.stringify(graphBody({ code: 613, message: 'limit' })));

    expect(graphFailure(httpFailure(400, body), []).code).toBe('RATE_LIMITED');
  });

  it('treats no answer at all as TEMPORARY', () => {
    const timeout = new AxiosError('timeout of 1000ms exceeded', 'ECONNABORTED');

    expect(graphFailure(timeout, [TOKEN])).toMatchObject({ code: 'TEMPORARY', message: 'the request timed out' });
  });

  it('masks every secret wherever Meta repeats it', () => {
    const failure = graphFailure(
      httpFailure(400, graphBody({ code: 190, message: `Malformed access token ${TOKEN} (token ${TOKEN})` })),
      [TOKEN, ''],
    );

    expect(failure.message).not.toContain(TOKEN);
    expect(failure.message).toBe(
      'Malformed access token [redacted] (token [redacted]) (Graph error 190, fbtrace_id AbCdEfGh1234567_xyz)',
    );
  });
});
