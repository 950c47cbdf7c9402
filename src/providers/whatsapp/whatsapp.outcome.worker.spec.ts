import { HttpService } from '@nestjs/axios';
import { AxiosError, AxiosResponse } from 'axios';
import { Observable, of, throwError } from 'rxjs';
import { ProviderHttpOptions } from '../../common/http/provider-http-options';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { OutgoingMessage } from '../../messaging/contracts/unified-message';
import { ProviderStateStore } from '../../messaging/contracts/provider-state-store';
import { WhatsAppClient } from './whatsapp.client';
import { WhatsAppOutcomeWorker } from './whatsapp.outcome.worker';
import { WhatsAppSettings } from './whatsapp.settings.dto';

const ACCESS_TOKEN = 'EAAGm0PX4ZCpsBAFakeSystemUserToken0123456789';
const MESSAGES_URL = 'https://graph.facebook.com/v25.0/106540352242922/messages';

const channel: ChannelContext<WhatsAppSettings> = {
  id: '0b7f3c1e-5a2d-4f8e-9c61-2d4e8a7b9f30',
  name: 'Support WhatsApp',
  provider: 'whatsapp',
  source: '106540352242922',
  settings: {
    accessToken: ACCESS_TOKEN,
    appSecret: 'c0ffee0123456789abcdef0123456789',
    verifyToken: 'verify-me-please',
    phoneNumberId: '106540352242922',
  },
  webhookUrl: 'https://chat.example.com/webhooks/0b7f3c1e-5a2d-4f8e-9c61-2d4e8a7b9f30',
};

const httpOptions = new ProviderHttpOptions({
  timeoutMs: 1_000,
  maxDownloadBytes: 1_000_000,
  allowPrivateNetwork: true,
});

interface SentRequest {
  url: string;
  body: unknown;
  headers: Record<string, string>;
}

/** Answers like Graph: `{messaging_product, contacts, messages: [{id}]}`, or `{error}` with an HTTP status. */
type GraphAnswer = { status: number; data: unknown; headers?: Record<string, string> };

function graphHttp(answers: GraphAnswer[]) {
  const sent: SentRequest[] = [];
  const http = {
    post: (url: string, body: unknown, options: { headers: Record<string, string> }): Observable<AxiosResponse> => {
      sent.push({ url, body, headers: options.headers });
      const answer = answers.shift() ?? accepted(`wamid.auto-${sent.length}`);
      if (answer.status < 400) return of({ data: answer.data, status: answer.status } as AxiosResponse);
      const response = { data: answer.data, status: answer.status, headers: answer.headers ?? {} } as AxiosResponse;
      return throwError(() => new AxiosError('Request failed', 'ERR_BAD_REQUEST', undefined, undefined, response));
    },
  };
  return { http: http as unknown as HttpService, sent };
}

function accepted(wamid: string): GraphAnswer {
  return {
    status: 200,
    data: {
      messaging_product: 'whatsapp',
      contacts: [{ input: '+48601234567', wa_id: '48601234567' }],
      messages: [{ id: wamid }],
    },
  };
}

function graphError(status: number, code: number, message: string, details?: string): GraphAnswer {
  return {
    status,
    data: {
      error: {
        message,
        type: 'OAuthException',
        code,
        ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}),
        fbtrace_id: 'AqZ3v-FAKE-trace',
      },
    },
  };
}

/** The per-channel state, in memory. */
function memoryState() {
  const values = new Map<string, unknown>();
  const store = {
    get: async (channelId: string, key: string) => values.get(`${channelId}/${key}`),
    set: async (channelId: string, key: string, value: unknown) =>
      void values.set(`${channelId}/${key}`, structuredClone(value)),
    delete: async (channelId: string, key: string) => void values.delete(`${channelId}/${key}`),
  };
  return { store: store as unknown as ProviderStateStore, values };
}

function reply(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    id: '4711',
    externalChatId: '48601234567',
    recipientExternalId: '48601234567',
    text: 'Your parcel 8812 left our warehouse today.',
    attachments: [],
    ...overrides,
  };
}

describe(WhatsAppOutcomeWorker.name, () => {
  function setUp(answers: GraphAnswer[] = [], settings: Partial<WhatsAppSettings> = {}) {
    const { http, sent } = graphHttp(answers);
    const state = memoryState();
    const sut = new WhatsAppOutcomeWorker(new WhatsAppClient(http, httpOptions), state.store);
    const send = (message: OutgoingMessage) =>
      sut.send(message, { ...channel, settings: { ...channel.settings, ...settings } });
    return { send, sent, state };
  }

  async function failure(promise: Promise<unknown>): Promise<ProviderError> {
    const error: unknown = await promise.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }

  it('POSTs a text to /<version>/<phone_number_id>/messages with the Bearer token, and returns the wamid', async () => {
    const { send, sent } = setUp([accepted('wamid.HBgLNDg2MDEyMzQ1NjcVAgARGBI0QTdCNkU1RjRDM0IyQTE5MAA=')]);

    const result = await send(reply());

    expect(result).toEqual({ externalId: 'wamid.HBgLNDg2MDEyMzQ1NjcVAgARGBI0QTdCNkU1RjRDM0IyQTE5MAA=' });
    expect(sent).toEqual([
      {
        url: MESSAGES_URL,
        headers: { authorization: `Bearer ${ACCESS_TOKEN}` },
        body: {
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          to: '+48601234567',
          type: 'text',
          text: { body: 'Your parcel 8812 left our warehouse today.' },
        },
      },
    ]);
  });

  it('uses the apiBaseUrl and apiVersion settings', async () => {
    const { send, sent } = setUp([], { apiBaseUrl: 'http://127.0.0.1:4010/', apiVersion: 'v23.0' });

    await send(reply());

    expect(sent[0].url).toBe('http://127.0.0.1:4010/v23.0/106540352242922/messages');
  });

  it('sends an image by link with the text as its caption', async () => {
    const { send, sent } = setUp([accepted('wamid.image')]);

    const result = await send(
      reply({
        text: 'Your return label',
        attachments: [{ kind: 'image', url: 'https://files.example.com/label.png' }],
      }),
    );

    expect(result).toEqual({ externalId: 'wamid.image' });
    expect(sent.map((request) => request.body)).toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '+48601234567',
        type: 'image',
        image: { link: 'https://files.example.com/label.png', caption: 'Your return label' },
      },
    ]);
  });

  it('sends a file as a document with its file name; no text, no caption', async () => {
    const { send, sent } = setUp();

    await send(
      reply({
        text: null,
        attachments: [
          {
            kind: 'file',
            url: 'https://files.example.com/invoices/8812.pdf',
            fileName: 'invoice-8812.pdf',
            mimeType: 'application/pdf',
          },
        ],
      }),
    );

    expect(sent.map((request) => request.body)).toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '+48601234567',
        type: 'document',
        document: { link: 'https://files.example.com/invoices/8812.pdf', filename: 'invoice-8812.pdf' },
      },
    ]);
  });

  it('sends text that cannot be a caption (audio, or over 1024 characters) as its own message first', async () => {
    const long = 'x'.repeat(1_025);
    const audio = setUp();
    const longCaption = setUp();

    await audio.send(
      reply({ text: 'Listen', attachments: [{ kind: 'audio', url: 'https://files.example.com/a.mp3' }] }),
    );
    await longCaption.send(
      reply({ text: long, attachments: [{ kind: 'video', url: 'https://files.example.com/v.mp4' }] }),
    );

    expect(audio.sent.map((request) => request.body)).toEqual([
      expect.objectContaining({ type: 'text', text: { body: 'Listen' } }),
      expect.objectContaining({ type: 'audio', audio: { link: 'https://files.example.com/a.mp3' } }),
    ]);
    expect(longCaption.sent.map((request) => request.body)).toEqual([
      expect.objectContaining({ type: 'text', text: { body: long } }),
      expect.objectContaining({ type: 'video', video: { link: 'https://files.example.com/v.mp4' } }),
    ]);
  });

  it('sends one message per attachment and answers with the last wamid', async () => {
    const { send, sent, state } = setUp([accepted('wamid.first'), accepted('wamid.second')]);

    const result = await send(
      reply({
        text: 'Two photos',
        attachments: [
          { kind: 'image', url: 'https://files.example.com/1.jpg' },
          { kind: 'image', url: 'https://files.example.com/2.jpg' },
        ],
      }),
    );

    expect(result).toEqual({ externalId: 'wamid.second' });
    expect(sent.map((request) => request.body)).toEqual([
      expect.objectContaining({
        type: 'image',
        image: { link: 'https://files.example.com/1.jpg', caption: 'Two photos' },
      }),
      expect.objectContaining({ type: 'image', image: { link: 'https://files.example.com/2.jpg' } }),
    ]);
    expect(state.values.size).toBe(0);
  });

  it('retries only the parts not yet accepted after a retryable failure in the middle', async () => {
    const { send, sent } = setUp([
      accepted('wamid.first'),
      graphError(400, 130429, '(#130429) Rate limit hit'),
      accepted('wamid.second'),
    ]);
    const twoPhotos = reply({
      text: null,
      attachments: [
        { kind: 'image', url: 'https://files.example.com/1.jpg' },
        { kind: 'image', url: 'https://files.example.com/2.jpg' },
      ],
    });

    expect((await failure(send(twoPhotos))).code).toBe('RATE_LIMITED');
    const retried = await send(twoPhotos);

    expect(retried).toEqual({ externalId: 'wamid.second' });
    expect(sent.map((request) => (request.body as { image: { link: string } }).image.link)).toEqual([
      'https://files.example.com/1.jpg',
      'https://files.example.com/2.jpg',
      'https://files.example.com/2.jpg',
    ]);
  });

  it('forgets the progress of a multi-part message that failed for good', async () => {
    const { send, state } = setUp([accepted('wamid.first'), graphError(400, 131026, 'Message undeliverable')]);

    await failure(
      send(
        reply({
          attachments: [
            { kind: 'image', url: 'https://files.example.com/1.jpg' },
            { kind: 'image', url: 'https://files.example.com/2.jpg' },
          ],
        }),
      ),
    );

    expect(state.values.size).toBe(0);
  });

  it('fails an attachment without URL as PERMANENT, before sending anything', async () => {
    const { send, sent } = setUp();

    const error = await failure(send(reply({ attachments: [{ kind: 'image', providerFileId: '123' }] })));

    expect(error.code).toBe('PERMANENT');
    expect(sent).toEqual([]);
  });

  describe('errors', () => {
    it('fails 131047 for good and says the 24-hour window closed', async () => {
      const { send } = setUp([
        graphError(
          400,
          131047,
          '(#131047) Re-engagement message',
          'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
        ),
      ]);

      const error = await failure(send(reply()));

      expect(error.code).toBe('PERMANENT');
      expect(error.message).toBe(
        'outside the 24-hour customer service window: send a template: (#131047) Re-engagement message: Message failed to send because more than 24 hours have passed since the customer last replied to this number. (Graph error 131047, fbtrace_id AqZ3v-FAKE-trace)',
      );
    });

    it.each([
      ['130429 throughput', 130429],
      ['131056 pair rate', 131056],
      ['80007 WABA rate', 80007],
      ['4 app rate', 4],
    ])('retries %s as RATE_LIMITED whatever the HTTP status', async (_case, code) => {
      const { send } = setUp([graphError(400, code, `(#${code}) limit`)]);

      const error = await failure(send(reply()));

      expect(error.code).toBe('RATE_LIMITED');
      expect(error.retryable).toBe(true);
    });

    it('waits as long as a Retry-After header asks, when Graph sends one', async () => {
      const { send } = setUp([
        { ...graphError(429, 130429, '(#130429) Rate limit hit'), headers: { 'retry-after': '3' } },
      ]);

      const error = await failure(send(reply()));

      expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 3_000 });
    });

    it('marks an expired token (190) AUTH_FAILED without repeating the token', async () => {
      const { send } = setUp([
        graphError(401, 190, 'Error validating access token: Session has expired on Friday, 20-Jun-25.'),
      ]);

      const error = await failure(send(reply()));

      expect(error.code).toBe('AUTH_FAILED');
      expect(error.message).toContain('Session has expired');
      expect(error.message).not.toContain(ACCESS_TOKEN);
    });

    it.each([
      ['a 500 with a Graph error', graphError(500, 131000, 'Something went wrong')],
      ['a 503 without a body', { status: 503, data: '' }],
      ['a temporary code on a 400', graphError(400, 2, 'Service temporarily unavailable')],
    ])('retries %s as TEMPORARY', async (_case, answer) => {
      const { send } = setUp([answer]);

      expect((await failure(send(reply()))).code).toBe('TEMPORARY');
    });

    it("fails any other error for good with WhatsApp's message, code and fbtrace_id", async () => {
      const { send } = setUp([graphError(400, 100, '(#100) Invalid parameter', 'Parameter value is not valid')]);

      const error = await failure(send(reply()));

      expect(error.code).toBe('PERMANENT');
      expect(error.message).toBe(
        '(#100) Invalid parameter: Parameter value is not valid (Graph error 100, fbtrace_id AqZ3v-FAKE-trace)',
      );
    });
  });
});
