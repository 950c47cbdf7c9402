import { AxiosError, AxiosHeaders, AxiosResponse } from 'axios';
import { describeGraphError, graphFailure } from './graph-errors';

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
  it.each([4, 17, 32, 341, 613, 80007, 130429, 131056])(
    'treats throttling code %i as RATE_LIMITED whatever the HTTP status',
    (code) => {
      const failure = graphFailure(httpFailure(400, graphBody({ code, message: `(#${code}) limit` })), [TOKEN]);

      expect(failure.code).toBe('RATE_LIMITED');
      expect(failure.retryable).toBe(true);
      expect(failure.retryAfterMs).toBeUndefined();
    },
  );

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
    ['a person who is not available (200/1545041)', 200, 1545041],
  ])('treats %s as PERMANENT', (_case, code, subcode) => {
    const failure = graphFailure(httpFailure(400, graphBody({ code, error_subcode: subcode, message: 'refused' })), []);

    expect(failure.code).toBe('PERMANENT');
  });

  it.each([
    ['WhatsApp’s AuthException (0)', 0],
    ['an expired session (102)', 102],
    ['permission denied (10)', 10],
    ['a permission missing (200)', 200],
    ['a permission missing (299)', 299],
  ])('treats %s, which no retry heals, as AUTH_FAILED', (_case, code) => {
    const failure = graphFailure(httpFailure(400, graphBody({ code, message: 'refused' })), []);

    expect(failure.code).toBe('AUTH_FAILED');
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
    ['an unknown error (1)', 400, { code: 1, message: 'An unknown error occurred' }],
    ['WhatsApp’s "something went wrong" (131000)', 400, { code: 131000, message: 'Something went wrong' }],
    ['WhatsApp service unavailable (131016)', 400, { code: 131016, message: 'Service unavailable' }],
    ['a WhatsApp account in maintenance (131057)', 400, { code: 131057, message: 'Account in maintenance mode' }],
  ])('treats %s as TEMPORARY', (_case, status, error) => {
    expect(graphFailure(httpFailure(status, graphBody(error)), []).code).toBe('TEMPORARY');
  });

  it('treats a 429 carrying a Graph error as RATE_LIMITED, with its Retry-After', () => {
    const failure = graphFailure(
      httpFailure(429, graphBody({ code: 100, message: 'slow down' }), { 'retry-after': '3' }),
      [],
    );

    expect(failure).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 3000 });
  });

  it('treats any other Graph error as PERMANENT, keeping WhatsApp’s details beside the message', () => {
    const failure = graphFailure(
      httpFailure(
        400,
        graphBody({
          code: 100,
          message: '(#100) Invalid parameter',
          error_data: { messaging_product: 'whatsapp', details: 'Parameter value is not valid' },
        }),
      ),
      [],
    );

    expect(failure).toMatchObject({
      code: 'PERMANENT',
      message:
        '(#100) Invalid parameter: Parameter value is not valid (Graph error 100, fbtrace_id AbCdEfGh1234567_xyz)',
    });
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

describe(describeGraphError.name, () => {
  it('says first that the WhatsApp 24-hour window closed (131047)', () => {
    expect(describeGraphError({ code: 131047, title: 'Re-engagement message' })).toBe(
      'outside the 24-hour customer service window: send a template: Re-engagement message (Graph error 131047)',
    );
  });

  it('names a webhook error by its title when it has no message', () => {
    expect(describeGraphError({ code: 131026, title: 'Message undeliverable' })).toBe(
      'Message undeliverable (Graph error 131026)',
    );
  });
});
