import { ChannelContext } from '../../messaging/contracts/channel-context';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { OutgoingMessage } from '../../messaging/contracts/unified-message';
import { ProviderStateStore } from '../../messaging/contracts/provider-state-store';
import { FacebookClient, SendApiMessage } from './facebook.client';
import { FacebookOutcomeWorker } from './facebook.outcome.worker';
import { FacebookSettings } from './facebook.settings.dto';

const PSID = '6543210987654321';

const channel: ChannelContext<FacebookSettings> = {
  id: '0b7c6f0e-2a51-4c1e-9a4f-5f0d8d1e2c33',
  name: 'Acme Messenger',
  provider: 'facebook',
  source: '106540352242922',
  settings: {
    pageAccessToken: 'EAAGm0PX4ZCpsBAKx7rZCfakePageAccessToken0123456789',
    appSecret: 'test_app_secret_0123456789abcdef',
    verifyToken: 'verify-7f3a9c2e41',
    apiBaseUrl: 'https://graph.facebook.com',
    apiVersion: 'v25.0',
  },
  webhookUrl: 'https://chat.example.com/webhooks/0b7c6f0e-2a51-4c1e-9a4f-5f0d8d1e2c33',
};

function outgoing(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    id: '41',
    externalChatId: PSID,
    recipientExternalId: PSID,
    text: 'Your order ships tomorrow',
    attachments: [],
    ...overrides,
  };
}

/** The Send API as the worker sees it: records each message, answers m_1, m_2…, or fails on demand. */
class SendApiDouble {
  readonly sent: { recipient: string; message: SendApiMessage }[] = [];
  readonly failures: (ProviderError | undefined)[] = [];

  async sendMessage(_settings: FacebookSettings, recipient: string, message: SendApiMessage): Promise<string> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push({ recipient, message });
    return `m_${this.sent.length}`;
  }
}

/** ProviderStateStore in memory. */
class StateDouble {
  readonly values = new Map<string, unknown>();

  async get<T>(channelId: string, key: string): Promise<T | undefined> {
    return this.values.get(`${channelId}/${key}`) as T | undefined;
  }

  async set(channelId: string, key: string, value: unknown): Promise<void> {
    this.values.set(`${channelId}/${key}`, value);
  }

  async delete(channelId: string, key: string): Promise<void> {
    this.values.delete(`${channelId}/${key}`);
  }
}

describe(FacebookOutcomeWorker.name, () => {
  let api: SendApiDouble;
  let state: StateDouble;
  let sut: FacebookOutcomeWorker;

  beforeEach(() => {
    api = new SendApiDouble();
    state = new StateDouble();
    sut = new FacebookOutcomeWorker(api as unknown as FacebookClient, state as unknown as ProviderStateStore);
  });

  it('sends a text reply to the customer PSID and answers its mid', async () => {
    await expect(sut.send(outgoing(), channel)).resolves.toEqual({ externalId: 'm_1' });

    expect(api.sent).toEqual([{ recipient: PSID, message: { text: 'Your order ships tomorrow' } }]);
    expect(state.values.size).toBe(0);
  });

  it('sends the text, then each attachment by URL with its Send API type; the first mid names the message', async () => {
    const attachments = [
      { kind: 'image', url: 'https://files.example.com/parcel.jpg' },
      { kind: 'document', url: 'https://files.example.com/invoice.pdf', fileName: 'invoice.pdf' },
      { kind: 'video', url: 'https://files.example.com/unboxing.mp4' },
      { kind: 'audio', url: 'https://files.example.com/note.mp3' },
      { kind: 'file', url: 'https://files.example.com/terms.txt' },
    ];

    await expect(sut.send(outgoing({ attachments }), channel)).resolves.toEqual({ externalId: 'm_1' });

    expect(api.sent.map((call) => call.message)).toEqual([
      { text: 'Your order ships tomorrow' },
      { attachment: { type: 'image', payload: { url: 'https://files.example.com/parcel.jpg' } } },
      { attachment: { type: 'file', payload: { url: 'https://files.example.com/invoice.pdf' } } },
      { attachment: { type: 'video', payload: { url: 'https://files.example.com/unboxing.mp4' } } },
      { attachment: { type: 'audio', payload: { url: 'https://files.example.com/note.mp3' } } },
      { attachment: { type: 'file', payload: { url: 'https://files.example.com/terms.txt' } } },
    ]);
    expect(state.values.size).toBe(0);
  });

  it('sends an attachment-only reply as one attachment message', async () => {
    const attachments = [{ kind: 'image', url: 'https://files.example.com/parcel.jpg' }];

    await expect(sut.send(outgoing({ text: null, attachments }), channel)).resolves.toEqual({ externalId: 'm_1' });
    expect(api.sent).toHaveLength(1);
  });

  it('resumes after the last part that went out when a retry follows a failure mid-way', async () => {
    const message = outgoing({
      attachments: [
        { kind: 'image', url: 'https://files.example.com/a.jpg' },
        { kind: 'image', url: 'https://files.example.com/b.jpg' },
      ],
    });
    api.failures.push(
      undefined,
      undefined,
      new ProviderError('RATE_LIMITED', '(#613) Calls to this api have exceeded the rate limit.'),
    );

    await expect(sut.send(message, channel)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(sut.send(message, channel)).resolves.toEqual({ externalId: 'm_1' });

    expect(api.sent.map((call) => call.message)).toEqual([
      { text: 'Your order ships tomorrow' },
      { attachment: { type: 'image', payload: { url: 'https://files.example.com/a.jpg' } } },
      { attachment: { type: 'image', payload: { url: 'https://files.example.com/b.jpg' } } },
    ]);
    expect(state.values.size).toBe(0);
  });

  it('passes a provider refusal on untouched', async () => {
    const refusal = new ProviderError('PERMANENT', '(#10) This message is sent outside of allowed window.');
    api.failures.push(refusal);

    await expect(sut.send(outgoing(), channel)).rejects.toBe(refusal);
  });

  it('refuses a message with nothing to send', async () => {
    await expect(sut.send(outgoing({ text: null }), channel)).rejects.toMatchObject({ code: 'PERMANENT' });
    expect(api.sent).toEqual([]);
  });
});
