import { ChannelContext } from '../../messaging/contracts/channel-context';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { OutgoingMessage } from '../../messaging/contracts/unified-message';
import { ProviderStateStore } from '../../messaging/contracts/provider-state-store';
import { SendParams } from './telegram.api.types';
import { TelegramClient } from './telegram.client';
import { TelegramOutcomeWorker, telegramSendCalls } from './telegram.outcome.worker';
import { TelegramSettings } from './telegram.settings.dto';

const channel: ChannelContext<TelegramSettings> = {
  id: '0c9e3f5a-6b1d-4e8f-9a2b-3c4d5e6f7a8b',
  name: 'Acme support bot',
  provider: 'telegram',
  source: '7012345678',
  settings: { token: '7012345678:AAHfakeTokenForUnitTests_0123456789ab', apiBaseUrl: 'https://api.telegram.org' },
  webhookUrl: 'https://chat.example.com/webhooks/0c9e3f5a-6b1d-4e8f-9a2b-3c4d5e6f7a8b',
};

const label = { kind: 'image', url: 'https://cdn.example.com/tickets/8812/label.jpg' };
const invoice = { kind: 'document', url: 'https://cdn.example.com/invoice.pdf', fileName: 'invoice.pdf' };

function outgoing(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    id: '812',
    externalChatId: '5123456789',
    recipientExternalId: '5123456789',
    text: 'Hi Anna! Your ticket #8812 is open.',
    attachments: [],
    ...overrides,
  };
}

/** A ProviderStateStore kept in a Map, expiry ignored. */
class MemoryState {
  readonly values = new Map<string, unknown>();
  async get<T>(channelId: string, key: string): Promise<T | undefined> {
    return this.values.get(`${channelId}/${key}`) as T | undefined;
  }
  async set(channelId: string, key: string, value: unknown): Promise<void> {
    this.values.set(`${channelId}/${key}`, structuredClone(value));
  }
  async delete(channelId: string, key: string): Promise<void> {
    this.values.delete(`${channelId}/${key}`);
  }
}

describe(telegramSendCalls.name, () => {
  it('sends text alone with sendMessage to the numeric chat id', () => {
    expect(telegramSendCalls(outgoing())).toEqual([
      { method: 'sendMessage', body: { chat_id: 5123456789, text: 'Hi Anna! Your ticket #8812 is open.' } },
    ]);
  });

  it('keeps a group chat id negative', () => {
    const [call] = telegramSendCalls(outgoing({ externalChatId: '-1001987654321' }));

    expect(call.body.chat_id).toBe(-1001987654321);
  });

  it('sends one picture by URL with sendPhoto, the text as its caption', () => {
    expect(telegramSendCalls(outgoing({ text: 'Return label', attachments: [label] }))).toEqual([
      { method: 'sendPhoto', body: { chat_id: 5123456789, photo: label.url, caption: 'Return label' } },
    ]);
  });

  it('sends any other file with sendDocument, and no caption without text', () => {
    expect(telegramSendCalls(outgoing({ text: null, attachments: [invoice] }))).toEqual([
      { method: 'sendDocument', body: { chat_id: 5123456789, document: invoice.url } },
    ]);
  });

  it('sends the text first when it is too long for a caption', () => {
    const text = 'x'.repeat(1025);

    expect(telegramSendCalls(outgoing({ text, attachments: [label] }))).toEqual([
      { method: 'sendMessage', body: { chat_id: 5123456789, text } },
      { method: 'sendPhoto', body: { chat_id: 5123456789, photo: label.url } },
    ]);
  });

  it('keeps a text of exactly 1024 characters as the caption', () => {
    const [call] = telegramSendCalls(outgoing({ text: 'x'.repeat(1024), attachments: [invoice] }));

    expect(call).toEqual({
      method: 'sendDocument',
      body: { chat_id: 5123456789, document: invoice.url, caption: 'x'.repeat(1024) },
    });
  });

  it('sends the text, then each attachment without caption, when there are several', () => {
    expect(telegramSendCalls(outgoing({ text: 'Your documents', attachments: [label, invoice] }))).toEqual([
      { method: 'sendMessage', body: { chat_id: 5123456789, text: 'Your documents' } },
      { method: 'sendPhoto', body: { chat_id: 5123456789, photo: label.url } },
      { method: 'sendDocument', body: { chat_id: 5123456789, document: invoice.url } },
    ]);
  });

  it('refuses an attachment without a URL as permanent', () => {
    expect(() => telegramSendCalls(outgoing({ attachments: [{ kind: 'image' }] }))).toThrow(
      expect.objectContaining({ code: 'PERMANENT' }),
    );
  });
});

describe(TelegramOutcomeWorker.name, () => {
  let sent: SendParams[];
  /** Failures by call number, counting from 1. */
  let failOnCall: Map<number, ProviderError>;
  let state: MemoryState;
  let sut: TelegramOutcomeWorker;

  beforeEach(() => {
    sent = [];
    failOnCall = new Map();
    state = new MemoryState();
    let calls = 0;
    const client = {
      send: async (_settings: unknown, call: SendParams) => {
        const failure = failOnCall.get(++calls);
        if (failure) throw failure;
        sent.push(call);
        return { message_id: 4214 + sent.length, chat: { id: Number(call.body.chat_id) } };
      },
    };
    sut = new TelegramOutcomeWorker(client as unknown as TelegramClient, state as unknown as ProviderStateStore);
  });

  it('answers `<chat id>:<message id>` of the sent message', async () => {
    await expect(sut.send(outgoing(), channel)).resolves.toEqual({ externalId: '5123456789:4215' });
    expect(sent).toHaveLength(1);
    expect(state.values.size).toBe(0);
  });

  it('lets a rate limit through for the core to wait', async () => {
    failOnCall.set(1, new ProviderError('RATE_LIMITED', 'Too Many Requests: retry after 3', 3000));

    await expect(sut.send(outgoing(), channel)).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 3000 });
  });

  it('does not send the parts already sent again when a later part is retried', async () => {
    const message = outgoing({ text: 'Your documents', attachments: [label, invoice] });
    const limited = new ProviderError('RATE_LIMITED', 'Too Many Requests: retry after 1', 1000);
    failOnCall.set(2, limited);

    await expect(sut.send(message, channel)).rejects.toBe(limited);
    expect(sent.map((call) => call.method)).toEqual(['sendMessage']);
    const retried = await sut.send(message, channel);

    expect(sent.map((call) => call.method)).toEqual(['sendMessage', 'sendPhoto', 'sendDocument']);
    expect(retried).toEqual({ externalId: '5123456789:4215' });
    expect(state.values.size).toBe(0);
  });
});
