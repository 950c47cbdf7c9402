import { ChannelContext } from '../messaging/contracts/channel-context';
import { IncomeMessageWorker } from '../messaging/contracts/provider-workers';
import { FacebookIncomeWorker } from '../providers/facebook/facebook.income.worker';
import { TelegramIncomeWorker } from '../providers/telegram/telegram.income.worker';
import { TestIncomeWorker } from '../providers/test/test.income.worker';
import { WebhookIncomeWorker } from '../providers/webhook/webhook.income.worker';
import { WhatsAppIncomeWorker } from '../providers/whatsapp/whatsapp.income.worker';
import { CliFailure, EXIT } from './cli-output';
import { SIMULATED_PROVIDERS, simulateInboundRequest } from './inbound-request.simulator';

function channelOf(provider: string, settings: Record<string, unknown>, source: string | null = null): ChannelContext {
  return {
    id: '0b7f3c1e-5a2d-4f8e-9c61-2d4e8a7b9f30',
    name: `A ${provider} channel`,
    provider,
    source,
    settings,
    webhookUrl: 'https://chat.example.com/webhooks/0b7f3c1e-5a2d-4f8e-9c61-2d4e8a7b9f30',
  };
}

/** Each simulated request must pass the provider's own verify() and parse() unchanged. */
const CASES: {
  provider: string;
  worker: IncomeMessageWorker;
  channel: ChannelContext;
  chatId: string;
  from: string;
}[] = [
  {
    provider: 'test',
    worker: new TestIncomeWorker(),
    channel: channelOf('test', { token: 'sandbox-token' }),
    chatId: 'c-1',
    from: 'u-1',
  },
  {
    provider: 'webhook',
    worker: new WebhookIncomeWorker(),
    channel: channelOf('webhook', { url: 'http://127.0.0.1:4000/out', secret: 'receiver-shared-secret-0123456789' }),
    chatId: 'order-42',
    from: 'cust-7',
  },
  {
    provider: 'telegram',
    worker: new TelegramIncomeWorker(),
    channel: channelOf('telegram', {
      token: '123456789:AAHfakeTokenForTheSimulatorSpec',
      apiBaseUrl: 'https://api.telegram.org',
      webhookSecretToken: 'generated-secret-token',
    }),
    chatId: '-100200300',
    from: '424242',
  },
  {
    provider: 'facebook',
    worker: new FacebookIncomeWorker(),
    channel: channelOf(
      'facebook',
      {
        pageAccessToken: 'EAAGpageAccessToken0123456789',
        appSecret: 'c0ffee0123456789abcdef',
        verifyToken: 'verify-me',
      },
      '1122334455',
    ),
    chatId: '9988776655',
    from: '9988776655',
  },
  {
    provider: 'whatsapp',
    worker: new WhatsAppIncomeWorker(),
    channel: channelOf(
      'whatsapp',
      {
        accessToken: 'EAAGsystemUserToken0123456789',
        appSecret: 'c0ffee0123456789abcdef',
        verifyToken: 'verify-me',
        phoneNumberId: '106540352242922',
      },
      '106540352242922',
    ),
    chatId: '48601234567',
    from: '48601234567',
  },
];

describe('simulateInboundRequest', () => {
  it.each(CASES)('builds a $provider request its income worker verifies and parses', ({ worker, channel, ...ids }) => {
    const request = simulateInboundRequest(
      { id: '777', chatId: ids.chatId, from: { id: ids.from, name: 'Ada Lovelace' }, text: 'Where is my order?' },
      channel,
    );

    expect(() => worker.verify(request, channel)).not.toThrow();
    const [event] = worker.parse(request.body, channel);
    expect(event).toMatchObject({
      kind: 'message',
      externalChatId: ids.chatId,
      sender: { externalId: ids.from },
      text: 'Where is my order?',
    });
  });

  it('covers every provider in the cases above', () => {
    expect(SIMULATED_PROVIDERS).toEqual(CASES.map((testCase) => testCase.provider).sort());
  });

  it('generates a fresh message id when none is given', () => {
    const { channel } = CASES[0];
    const first = simulateInboundRequest({ from: { id: 'u-1' }, text: 'hi' }, channel);
    const second = simulateInboundRequest({ from: { id: 'u-1' }, text: 'hi' }, channel);

    expect((first.body as { id: string }).id).not.toEqual((second.body as { id: string }).id);
  });

  it('says which providers it supports when asked for another', () => {
    const attempt = () => simulateInboundRequest({ from: { id: 'u' }, text: 'hi' }, channelOf('x', {}));

    expect(attempt).toThrow(CliFailure);
    expect(attempt).toThrow('not supported for x channels (supported: facebook, telegram, test, webhook, whatsapp)');
  });

  it('refuses a chat other than the customer on one-to-one providers, as a usage error', () => {
    const { channel } = CASES.find((testCase) => testCase.provider === 'facebook')!;
    try {
      simulateInboundRequest({ chatId: 'someone-else', from: { id: '42' }, text: 'hi' }, channel);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(CliFailure);
      expect((error as CliFailure).exitCode).toBe(EXIT.usage);
    }
  });
});
