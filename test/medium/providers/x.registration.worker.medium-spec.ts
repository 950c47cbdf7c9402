import { startXProviderStack, X_ACCOUNT, XProviderStack } from '../../fakes/x-api';
import { XRegistrationWorker } from '../../../src/providers/x/x.registration.worker';

describe(XRegistrationWorker.name, () => {
  let stack: XProviderStack;
  let sut: XRegistrationWorker;

  beforeEach(async () => {
    stack = await startXProviderStack();
    sut = new XRegistrationWorker(stack.client, stack.tokens);
  });

  afterEach(async () => {
    await stack.api.stop();
  });

  it('takes the account id from GET /2/users/me as source, and keeps the settings when nothing was refreshed', async () => {
    const result = await sut.register(stack.channel());

    expect(result).toEqual({ source: X_ACCOUNT.id, connected: true, settings: undefined });
    const [request] = stack.api.received('GET', '/2/users/me');
    expect(request.query.get('user.fields')).toBe('name,username,profile_image_url');
  });

  it('returns rotated tokens as settings when it had to refresh, writing no provider state (the channel does not exist yet)', async () => {
    const result = await sut.register(stack.channel({ accessToken: undefined }));

    expect(stack.api.received('POST', '/2/oauth2/token')).toHaveLength(1);
    expect(result).toEqual({
      source: X_ACCOUNT.id,
      connected: true,
      settings: {
        accessToken: 'x-access-token-1-VGhpcy1pcy1hLWZha2U',
        refreshToken: 'x-refresh-token-1-bWRWa3gzdnk3WHRG',
      },
    });
    expect(stack.state.secrets.size).toBe(0);
  });

  it('refuses credentials X does not accept with AUTH_FAILED', async () => {
    stack.api.expireAccessTokens();

    await expect(sut.register(stack.channel({ refreshToken: 'x-unknown-refresh-token' }))).rejects.toMatchObject({
      code: 'AUTH_FAILED',
    });
  });

  it('checks the credentials with GET /2/users/me', async () => {
    await expect(sut.check(stack.channel())).resolves.toBeUndefined();
    stack.api.expireAccessTokens();
    await expect(sut.check(stack.channel({ refreshToken: 'x-unknown-refresh-token' }))).rejects.toMatchObject({
      code: 'AUTH_FAILED',
    });
  });

  it('declares a text-only pull channel of up to 10,000 characters', () => {
    expect(sut.capabilities).toMatchObject({ delivery: 'pull', maxTextLength: 10_000, outboundAttachments: false });
  });
});
