import {
  startXProviderStack,
  X_CLIENT_ID,
  X_INITIAL_ACCESS_TOKEN,
  X_INITIAL_REFRESH_TOKEN,
  XProviderStack,
} from '../../fakes/x-api';
import { XAccessTokens } from '../../../src/providers/x/x.access-tokens';
import { XUser } from '../../../src/providers/x/x.api.types';

describe(XAccessTokens.name, () => {
  let stack: XProviderStack;

  beforeEach(async () => {
    stack = await startXProviderStack();
  });

  afterEach(async () => {
    await stack.api.stop();
  });

  const getMe = (channel = stack.channel()) =>
    stack.tokens.authorized(channel, (accessToken) => stack.client.getMe(channel.settings, accessToken));
  const refreshes = () => stack.api.received('POST', '/2/oauth2/token');
  const bearerOfLastCall = () =>
    stack.api.requests.filter((request) => request.path === '/2/users/me').at(-1)?.headers.authorization;

  it('uses the access token from the settings while X accepts it, without refreshing', async () => {
    const me: XUser = await getMe();

    expect(me.id).toBe('1587654321098765432');
    expect(bearerOfLastCall()).toBe(`Bearer ${X_INITIAL_ACCESS_TOKEN}`);
    expect(refreshes()).toHaveLength(0);
  });

  it('on a 401 refreshes exactly once with the refresh token and retries with the new access token', async () => {
    stack.api.expireAccessTokens();

    await getMe();

    expect(refreshes()).toHaveLength(1);
    const [refresh] = refreshes();
    expect(refresh.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(refresh.rawBody.toString()))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: X_INITIAL_REFRESH_TOKEN,
      client_id: X_CLIENT_ID,
    });
    expect(refresh.headers.authorization).toBeUndefined();
    expect(stack.api.received('GET', '/2/users/me').map((request) => request.headers.authorization)).toEqual([
      `Bearer ${X_INITIAL_ACCESS_TOKEN}`,
      'Bearer x-access-token-1-VGhpcy1pcy1hLWZha2U',
    ]);
  });

  it('keeps the rotated refresh token and uses it for the next refresh', async () => {
    stack.api.expireAccessTokens();
    await getMe();
    stack.api.expireAccessTokens();

    await getMe();

    expect(refreshes().map((request) => new URLSearchParams(request.rawBody.toString()).get('refresh_token'))).toEqual([
      X_INITIAL_REFRESH_TOKEN,
      'x-refresh-token-1-bWRWa3gzdnk3WHRG',
    ]);
    expect(bearerOfLastCall()).toBe('Bearer x-access-token-2-VGhpcy1pcy1hLWZha2U');
  });

  it('reuses the cached access token until shortly before it lapses, then refreshes before calling', async () => {
    stack.api.expireAccessTokens();
    await getMe();
    await getMe();
    expect(refreshes()).toHaveLength(1);

    stack.api.expiresInSeconds = 30;
    stack.api.expireAccessTokens();
    await getMe();
    const callsBefore = stack.api.received('GET', '/2/users/me').length;
    await getMe();

    expect(refreshes()).toHaveLength(3);
    expect(stack.api.received('GET', '/2/users/me')).toHaveLength(callsBefore + 1);
    expect(bearerOfLastCall()).toBe('Bearer x-access-token-3-VGhpcy1pcy1hLWZha2U');
  });

  it('refreshes once for many concurrent calls that find the token refused', async () => {
    stack.api.expireAccessTokens();

    const answers = await Promise.all(Array.from({ length: 5 }, () => getMe()));

    expect(answers.every((me) => me.id === '1587654321098765432')).toBe(true);
    expect(refreshes()).toHaveLength(1);
  });

  it('sends a confidential client’s credentials with HTTP Basic auth instead of client_id', async () => {
    await stack.api.stop();
    stack = await startXProviderStack({ clientSecret: 'x-client-secret-c2VjcmV0' });
    stack.api.expireAccessTokens();

    await getMe(stack.channel({ clientSecret: 'x-client-secret-c2VjcmV0' }));

    const [refresh] = refreshes();
    expect(refresh.headers.authorization).toBe(
      `Basic ${Buffer.from(`${X_CLIENT_ID}:x-client-secret-c2VjcmV0`).toString('base64')}`,
    );
    expect(new URLSearchParams(refresh.rawBody.toString()).has('client_id')).toBe(false);
  });

  it('fails with AUTH_FAILED, after one refresh, when X refuses the fresh token too', async () => {
    stack.api.expireAccessTokens();
    stack.api.queue('GET', '/2/users/me', { status: 401, body: { title: 'Unauthorized', detail: 'Unauthorized' } });
    stack.api.queue('GET', '/2/users/me', { status: 401, body: { title: 'Unauthorized', detail: 'Unauthorized' } });

    await expect(getMe()).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringContaining('X refused a freshly refreshed access token (HTTP 401: Unauthorized)'),
    });
    expect(refreshes()).toHaveLength(1);
  });

  it('fails with AUTH_FAILED naming the fix when X refuses the refresh token, without leaking it', async () => {
    stack.api.expireAccessTokens();

    const failure = getMe(stack.channel({ refreshToken: 'x-revoked-refresh-token-UkVWT0tFRA' }));

    await expect(failure).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message:
        'X refused the refresh token (HTTP 400: Value passed for the token was invalid.); authorize the app again and update refreshToken',
    });
    await expect(failure).rejects.not.toHaveProperty('message', expect.stringContaining('UkVWT0tFRA'));
  });

  it('keeps tokens only for the authorization they came from: a new refresh token in the settings wins', async () => {
    stack.api.expireAccessTokens();
    await getMe();
    const newAuthorization = stack.api.currentRefreshToken;
    stack.api.expireAccessTokens();

    await getMe(stack.channel({ refreshToken: newAuthorization, accessToken: undefined }));

    expect(refreshes().map((request) => new URLSearchParams(request.rawBody.toString()).get('refresh_token'))).toEqual([
      X_INITIAL_REFRESH_TOKEN,
      newAuthorization,
    ]);
  });

  it('does not touch the tokens when the call fails for another reason', async () => {
    stack.api.queue('GET', '/2/users/me', {
      status: 503,
      body: { title: 'Service Unavailable', detail: 'Over capacity' },
    });

    await expect(getMe()).rejects.toMatchObject({ code: 'TEMPORARY', message: 'HTTP 503: Over capacity' });
    expect(refreshes()).toHaveLength(0);
  });
});
