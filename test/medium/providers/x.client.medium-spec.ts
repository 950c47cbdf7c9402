import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import { ProviderHttpOptions } from '../../../src/common/http/provider-http-options';
import { XClient } from '../../../src/providers/x/x.client';
import { XSettings } from '../../../src/providers/x/x.settings.dto';
import { FakeReceiver } from '../../support/fake-receiver';

const TOKEN = 'x-access-token-QUNDRVNT';

describe(XClient.name, () => {
  let api: FakeReceiver;
  let sut: XClient;
  let settings: XSettings;

  beforeAll(async () => {
    api = await FakeReceiver.start();
    const httpOptions = new ProviderHttpOptions({ timeoutMs: 1000, maxDownloadBytes: 1024, allowPrivateNetwork: true });
    sut = new XClient(new HttpService(axios.create()), httpOptions);
  });

  beforeEach(() => {
    settings = {
      clientId: 'client-id',
      refreshToken: 'refresh',
      apiBaseUrl: `${api.url}/`,
      pollIntervalSeconds: 30,
      pageSize: 50,
    };
  });

  afterAll(async () => {
    await api.stop();
  });

  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error,
    );

  describe('error mapping', () => {
    const getMe = () => sut.getMe(settings, TOKEN);

    it.each([
      [
        401,
        { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' },
        'AUTH_FAILED',
        'HTTP 401: Unauthorized',
      ],
      [
        403,
        {
          title: 'Forbidden',
          type: 'about:blank',
          status: 403,
          detail: 'You are not permitted to perform this action.',
        },
        'PERMANENT',
        'HTTP 403: You are not permitted to perform this action.',
      ],
      [
        403,
        { errors: [{ code: 349, message: 'You cannot send messages to this user.' }] },
        'PERMANENT',
        'HTTP 403: You cannot send messages to this user.',
      ],
      [
        404,
        { title: 'Not Found Error', detail: 'Could not find user.' },
        'NOT_FOUND',
        'HTTP 404: Could not find user.',
      ],
      [
        400,
        { title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.' },
        'PERMANENT',
        'HTTP 400: One or more parameters to your request was invalid.',
      ],
      [
        500,
        { title: 'Internal Server Error', detail: 'Internal Server Error' },
        'TEMPORARY',
        'HTTP 500: Internal Server Error',
      ],
      [
        503,
        { title: 'Service Unavailable', detail: 'Service Unavailable' },
        'TEMPORARY',
        'HTTP 503: Service Unavailable',
      ],
    ])('maps HTTP %i %j to %s', async (status, body, code, message) => {
      api.queue('GET', '/2/users/me', { status, body, headers: { 'content-type': 'application/problem+json' } });

      expect(await failureOf(getMe())).toMatchObject({ code, message });
    });

    it('waits for x-rate-limit-reset (epoch seconds) on a 429', async () => {
      const resetAt = Math.floor(Date.now() / 1000) + 120;
      api.queue('GET', '/2/users/me', {
        status: 429,
        body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
        headers: { 'x-rate-limit-limit': '75', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(resetAt) },
      });

      const failure = (await failureOf(getMe())) as { code: string; retryAfterMs: number };

      expect(failure.code).toBe('RATE_LIMITED');
      expect(failure.retryAfterMs).toBeGreaterThan(118_000);
      expect(failure.retryAfterMs).toBeLessThanOrEqual(120_000);
    });

    it('waits at least a second when x-rate-limit-reset is already past', async () => {
      api.queue('GET', '/2/users/me', {
        status: 429,
        body: { errors: [{ code: 88, message: 'Rate limit exceeded' }] },
        headers: { 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) - 5) },
      });

      expect(await failureOf(getMe())).toMatchObject({
        code: 'RATE_LIMITED',
        retryAfterMs: 1_000,
        message: 'HTTP 429: Rate limit exceeded',
      });
    });

    it('does not retry a usage cap, which answers 429 too', async () => {
      api.queue('GET', '/2/users/me', {
        status: 429,
        body: {
          title: 'UsageCapExceeded',
          detail: 'Usage cap exceeded: Monthly product cap',
          type: 'https://api.x.com/2/problems/usage-capped',
          period: 'Monthly',
          scope: 'Product',
        },
      });

      expect(await failureOf(getMe())).toMatchObject({
        code: 'PERMANENT',
        message: 'HTTP 429: Usage cap exceeded: Monthly product cap',
      });
    });
  });

  it('reads a user, and null for an id X does not know (200 with only errors)', async () => {
    api.queue('GET', '/2/users/42', {
      status: 200,
      body: {
        data: { id: '42', name: 'Ben', username: 'ben', profile_image_url: 'https://pbs.twimg.com/p/b_normal.jpg' },
      },
    });
    api.queue('GET', '/2/users/43', {
      status: 200,
      body: { errors: [{ value: '43', detail: 'Could not find user with id: [43].', title: 'Not Found Error' }] },
    });

    expect(await sut.getUser(settings, TOKEN, '42')).toEqual({
      id: '42',
      name: 'Ben',
      username: 'ben',
      profile_image_url: 'https://pbs.twimg.com/p/b_normal.jpg',
    });
    expect(await sut.getUser(settings, TOKEN, '43')).toBeNull();
    expect(api.received('GET', '/2/users/42')[0].query.get('user.fields')).toBe('name,username,profile_image_url');
  });

  it('downloads media without sending any credentials', async () => {
    api.queue('GET', '/dm_media/1/photo.jpg', {
      status: 200,
      body: Buffer.from('jpeg'),
      headers: { 'content-type': 'image/jpeg' },
    });

    const file = await sut.download(`${api.url}/dm_media/1/photo.jpg`);

    expect(file).toEqual({ content: Buffer.from('jpeg'), mimeType: 'image/jpeg' });
    expect(api.received('GET', '/dm_media/1/photo.jpg')[0].headers.authorization).toBeUndefined();
  });
});
