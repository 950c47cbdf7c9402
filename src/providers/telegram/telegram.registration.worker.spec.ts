import { ChannelContext } from '../../messaging/contracts/channel-context';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { TelegramClient } from './telegram.client';
import { TelegramRegistrationWorker } from './telegram.registration.worker';
import { TelegramSettings } from './telegram.settings.dto';

const channel: ChannelContext<TelegramSettings> = {
  id: '0c9e3f5a-6b1d-4e8f-9a2b-3c4d5e6f7a8b',
  name: 'Acme support bot',
  provider: 'telegram',
  source: null,
  settings: { token: '7012345678:AAHfakeTokenForUnitTests_0123456789ab', apiBaseUrl: 'https://api.telegram.org' },
  webhookUrl: 'https://chat.example.com/webhooks/0c9e3f5a-6b1d-4e8f-9a2b-3c4d5e6f7a8b',
};

describe(TelegramRegistrationWorker.name, () => {
  let calls: { method: string; params?: unknown }[];
  let getMeFailure: ProviderError | undefined;
  let sut: TelegramRegistrationWorker;

  beforeEach(() => {
    calls = [];
    getMeFailure = undefined;
    const client = {
      getMe: async () => {
        calls.push({ method: 'getMe' });
        if (getMeFailure) throw getMeFailure;
        return { id: 7012345678, is_bot: true, first_name: 'Acme Support', username: 'acme_support_bot' };
      },
      setWebhook: async (_settings: unknown, params: unknown) => {
        calls.push({ method: 'setWebhook', params });
      },
    };
    sut = new TelegramRegistrationWorker(client as unknown as TelegramClient);
  });

  it('calls getMe, then setWebhook to the channel URL with a fresh secret it returns as a setting', async () => {
    const result = await sut.register(channel);

    const secret = result.settings?.webhookSecretToken as string;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(calls).toEqual([
      { method: 'getMe' },
      {
        method: 'setWebhook',
        params: {
          url: 'https://chat.example.com/webhooks/0c9e3f5a-6b1d-4e8f-9a2b-3c4d5e6f7a8b',
          secret_token: secret,
          allowed_updates: ['message', 'edited_message'],
        },
      },
    ]);
    expect(result).toEqual({ source: '7012345678', connected: true, settings: { webhookSecretToken: secret } });
  });

  it('generates another secret on every registration', async () => {
    const first = await sut.register(channel);
    const second = await sut.register(channel);

    expect(second.settings?.webhookSecretToken).not.toBe(first.settings?.webhookSecretToken);
  });

  it('refuses a webhook URL that is not HTTPS before calling Telegram, naming PUBLIC_URL', async () => {
    const plain = { ...channel, webhookUrl: 'http://localhost:3000/webhooks/0c9e3f5a-6b1d-4e8f-9a2b-3c4d5e6f7a8b' };

    await expect(sut.register(plain)).rejects.toMatchObject({
      code: 'PERMANENT',
      message: expect.stringContaining('set PUBLIC_URL'),
    });
    expect(calls).toEqual([]);
  });

  it('does not set the webhook when getMe refuses the token', async () => {
    getMeFailure = new ProviderError('AUTH_FAILED', 'Telegram refused the bot token (Unauthorized); check the token');

    await expect(sut.register(channel)).rejects.toBe(getMeFailure);
    expect(calls.map((call) => call.method)).toEqual(['getMe']);
  });

  it('checks the credentials with getMe alone', async () => {
    await sut.check(channel);

    expect(calls).toEqual([{ method: 'getMe' }]);
  });
});
