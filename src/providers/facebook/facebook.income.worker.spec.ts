import { AppError } from '../../common/errors/app-error';
import { ChannelContext, InboundRequest } from '../../messaging/contracts/channel-context';
import { FacebookIncomeWorker } from './facebook.income.worker';
import { FacebookSettings } from './facebook.settings.dto';

const APP_SECRET = 'test_app_secret_0123456789abcdef';
const PAGE_ID = '106540352242922';
const PSID = '6543210987654321';

const channel: ChannelContext<FacebookSettings> = {
  id: '0b7c6f0e-2a51-4c1e-9a4f-5f0d8d1e2c33',
  name: 'Acme Messenger',
  provider: 'facebook',
  source: PAGE_ID,
  settings: {
    pageAccessToken: 'EAAGm0PX4ZCpsBAKx7rZCfakePageAccessToken0123456789',
    appSecret: APP_SECRET,
    verifyToken: 'verify-7f3a9c2e41',
    apiBaseUrl: 'https://graph.facebook.com',
    apiVersion: 'v25.0',
  },
  webhookUrl: 'https://chat.example.com/webhooks/0b7c6f0e-2a51-4c1e-9a4f-5f0d8d1e2c33',
};

function inbound(headers: InboundRequest['headers'], rawBody: string): InboundRequest {
  return { headers, query: {}, rawBody: Buffer.from(rawBody, 'utf8'), body: undefined };
}

function challengeRequest(query: Record<string, unknown>): InboundRequest {
  return { headers: {}, query, rawBody: Buffer.alloc(0), body: undefined };
}

function page(...messaging: unknown[]): unknown {
  return { object: 'page', entry: [{ id: PAGE_ID, time: 1750413000412, messaging }] };
}

function fromCustomer(timestamp: number, event: Record<string, unknown>): Record<string, unknown> {
  return { sender: { id: PSID }, recipient: { id: PAGE_ID }, timestamp, ...event };
}

function appErrorOf(action: () => unknown): AppError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an AppError');
}

describe(FacebookIncomeWorker.name, () => {
  let sut: FacebookIncomeWorker;

  beforeEach(() => {
    sut = new FacebookIncomeWorker();
  });

  describe('verify', () => {
    // Vectors from PROVIDERS.md §2.3, computed with Python's hmac over the exact bytes.
    const VECTOR_BODY =
      '{"object":"page","entry":[{"id":"106540352242922","time":1750000000123,"messaging":[{"sender":{"id":"6543210987654321"},"recipient":{"id":"106540352242922"},"timestamp":1750000000001,"message":{"mid":"m_test-mid-0001","text":"hello"}}]}]}';
    const VECTOR_SIGNATURE = 'sha256=1f38f8ae2f1f6883f4a16f29d8b20b6ecf27ecb5e89234e13e5e71f223822cd4';
    const ESCAPED_BODY = '{"text":"\\u00e4\\u00f6\\u00e5"}';
    const ESCAPED_SIGNATURE = 'sha256=34d7e890e9e62283143c54d061361e09e6e2044aadd804d6f711003be1307f53';
    const DECODED_SIGNATURE = 'sha256=eb923930dfed1ceb5a4e1dba751cfab6e44ea167d05c8be26c8ea642561e956a';

    it('accepts the documented test vector, in either hex case', () => {
      expect(() =>
        sut.verify(inbound({ 'x-hub-signature-256': VECTOR_SIGNATURE }, VECTOR_BODY), channel),
      ).not.toThrow();
      expect(() =>
        sut.verify(
          inbound({ 'x-hub-signature-256': VECTOR_SIGNATURE.toUpperCase().replace('SHA256', 'sha256') }, VECTOR_BODY),
          channel,
        ),
      ).not.toThrow();
    });

    it('checks the \\u-escaped bytes as received, not their decoded text', () => {
      expect(() =>
        sut.verify(inbound({ 'x-hub-signature-256': ESCAPED_SIGNATURE }, ESCAPED_BODY), channel),
      ).not.toThrow();
      expect(() => sut.verify(inbound({ 'x-hub-signature-256': DECODED_SIGNATURE }, ESCAPED_BODY), channel)).toThrow(
        expect.objectContaining({ code: 'INVALID_SIGNATURE' }),
      );
    });

    it.each([
      ['no header', {}],
      ['an empty header', { 'x-hub-signature-256': '' }],
      ['the digest without sha256=', { 'x-hub-signature-256': VECTOR_SIGNATURE.slice('sha256='.length) }],
      ['a sha1= prefix', { 'x-hub-signature-256': VECTOR_SIGNATURE.replace('sha256', 'sha1') }],
      ['a digest one character short', { 'x-hub-signature-256': VECTOR_SIGNATURE.slice(0, -1) }],
      ['the header twice', { 'x-hub-signature-256': [VECTOR_SIGNATURE, VECTOR_SIGNATURE] }],
      ['only the legacy X-Hub-Signature', { 'x-hub-signature': 'sha1=0d6ba1a1ddd0b8c1b2f5d7a3e4b1c2d3e4f5a6b7' }],
    ])('refuses %s with INVALID_SIGNATURE (401)', (_case, headers) => {
      const error = appErrorOf(() => sut.verify(inbound(headers, VECTOR_BODY), channel));

      expect(error.code).toBe('INVALID_SIGNATURE');
      expect(error.status).toBe(401);
    });

    it('refuses the right signature under another App Secret', () => {
      const otherChannel = {
        ...channel,
        settings: { ...channel.settings, appSecret: 'another_app_secret_0123456789' },
      };

      expect(() => sut.verify(inbound({ 'x-hub-signature-256': VECTOR_SIGNATURE }, VECTOR_BODY), otherChannel)).toThrow(
        expect.objectContaining({ code: 'INVALID_SIGNATURE' }),
      );
    });
  });

  describe('challenge', () => {
    it('answers hub.challenge as plain text when the verify token matches', () => {
      const answer = sut.challenge(
        challengeRequest({
          'hub.mode': 'subscribe',
          'hub.verify_token': 'verify-7f3a9c2e41',
          'hub.challenge': '1158201444',
        }),
        channel,
      );

      expect(answer).toEqual({ contentType: 'text/plain', body: '1158201444' });
    });

    it.each([
      [
        'a wrong verify token',
        { 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-7f3a9c2e4', 'hub.challenge': '1' },
      ],
      ['no verify token', { 'hub.mode': 'subscribe', 'hub.challenge': '1' }],
      [
        'a repeated verify token',
        { 'hub.mode': 'subscribe', 'hub.verify_token': ['verify-7f3a9c2e41'], 'hub.challenge': '1' },
      ],
    ])('refuses %s with INVALID_SIGNATURE', (_case, query) => {
      expect(appErrorOf(() => sut.challenge(challengeRequest(query), channel)).code).toBe('INVALID_SIGNATURE');
    });

    it.each([
      ['another hub.mode', { 'hub.mode': 'unsubscribe', 'hub.challenge': '1' }, 'hub.mode'],
      ['no hub.challenge', { 'hub.mode': 'subscribe' }, 'hub.challenge'],
      ['markup as hub.challenge', { 'hub.mode': 'subscribe', 'hub.challenge': '<script>' }, 'hub.challenge'],
    ])('refuses %s with the right token as INVALID_PAYLOAD', (_case, query, field) => {
      const error = appErrorOf(() =>
        sut.challenge(challengeRequest({ ...query, 'hub.verify_token': 'verify-7f3a9c2e41' }), channel),
      );

      expect(error).toMatchObject({ code: 'INVALID_PAYLOAD', field });
    });
  });

  describe('parse', () => {
    it('turns a text message into a UnifiedMessage: PSID as chat and sender, mid as id, ms timestamp', () => {
      const events = sut.parse(
        page(
          fromCustomer(1750413000187, {
            message: {
              mid: 'm_Zt7q1KpX3v0mJq8sF2aL9wYx4cR6uN1bE5hG0dT3iO7pS2kV8nM4jQ6yW1zA5xC9eB3fH7gD0',
              text: 'Where is my order 8812?',
              quick_reply: { payload: 'ORDER_STATUS' },
            },
          }),
        ),
        channel,
      );

      expect(events).toStrictEqual([
        {
          kind: 'message',
          externalMessageId: 'm_Zt7q1KpX3v0mJq8sF2aL9wYx4cR6uN1bE5hG0dT3iO7pS2kV8nM4jQ6yW1zA5xC9eB3fH7gD0',
          externalChatId: PSID,
          sender: { externalId: PSID },
          text: 'Where is my order 8812?',
          attachments: [],
          sentAt: new Date('2025-06-20T09:50:00.187Z'),
        },
      ]);
    });

    it('keeps media as files to download, with the CDN URL untouched and its file name', () => {
      const url =
        'https://scontent.xx.fbcdn.net/v/t1.15752-9/448812345_1234567890123456_7890123456789012345_n.jpg?_nc_cat=101&stp=dst-jpg&oh=00_AYB-fake&oe=66A1B2C3';
      const [event] = sut.parse(
        page(
          fromCustomer(1750413061302, {
            message: {
              mid: 'm_attachments',
              attachments: [
                { type: 'image', payload: { url } },
                { type: 'video', payload: { url: 'https://video.xx.fbcdn.net/v/t42.3356-2/clip.mp4?oh=1' } },
                {
                  type: 'audio',
                  payload: { url: 'https://cdn.fbsbx.com/v/t59.3654-21/audioclip-1750413061302-2143.mp4' },
                },
                { type: 'file', payload: { url: 'https://cdn.fbsbx.com/v/t59.2708-21/Invoice%208812.pdf?dl=1' } },
                {
                  type: 'sticker',
                  payload: { url: 'https://scontent.xx.fbcdn.net/v/t39.1997-6/sticker', sticker_id: 369239263222822 },
                },
              ],
            },
          }),
        ),
        channel,
      );

      expect(event).toMatchObject({ kind: 'message', text: undefined });
      expect(event.kind === 'message' && event.attachments).toStrictEqual([
        { kind: 'image', url, fileName: '448812345_1234567890123456_7890123456789012345_n.jpg' },
        { kind: 'video', url: 'https://video.xx.fbcdn.net/v/t42.3356-2/clip.mp4?oh=1', fileName: 'clip.mp4' },
        {
          kind: 'audio',
          url: 'https://cdn.fbsbx.com/v/t59.3654-21/audioclip-1750413061302-2143.mp4',
          fileName: 'audioclip-1750413061302-2143.mp4',
        },
        {
          kind: 'file',
          url: 'https://cdn.fbsbx.com/v/t59.2708-21/Invoice%208812.pdf?dl=1',
          fileName: 'Invoice 8812.pdf',
        },
        { kind: 'sticker', url: 'https://scontent.xx.fbcdn.net/v/t39.1997-6/sticker' },
      ]);
    });

    it('describes attachments that are not files (location, fallback links, templates) in the text', () => {
      const [event] = sut.parse(
        page(
          fromCustomer(1750413061302, {
            message: {
              mid: 'm_described',
              text: 'Here I am',
              attachments: [
                { type: 'location', payload: { coordinates: { lat: 52.2297, long: 21.0122 } } },
                { type: 'fallback', payload: null, title: 'Tracking', url: 'https://track.example.com/8812' },
                { type: 'template', payload: { template_type: 'generic' } },
              ],
            },
          }),
        ),
        channel,
      );

      expect(event).toMatchObject({
        text: 'Here I am\nLocation: 52.2297, 21.0122\nTracking: https://track.example.com/8812\n[template]',
        attachments: [],
      });
    });

    it('turns delivery mids and watermark, and a read watermark, into receipts for the chat; a postback into its title', () => {
      const events = sut.parse(
        page(
          fromCustomer(1750413120710, {
            delivery: { mids: ['m_ours-1', 'm_ours-2'], watermark: 1750413120500 },
          }),
          fromCustomer(1750413125003, { read: { watermark: 1750413124800 } }),
          fromCustomer(1750413130412, {
            postback: { mid: 'm_Pb1cK2eD3f', title: 'Talk to an agent', payload: 'HANDOVER_HUMAN' },
          }),
        ),
        channel,
      );

      expect(events).toStrictEqual([
        { kind: 'receipt', status: 'delivered', externalChatId: PSID, externalMessageId: 'm_ours-1' },
        { kind: 'receipt', status: 'delivered', externalChatId: PSID, externalMessageId: 'm_ours-2' },
        { kind: 'receipt', status: 'delivered', externalChatId: PSID, upTo: new Date(1750413120500) },
        { kind: 'receipt', status: 'read', externalChatId: PSID, upTo: new Date(1750413124800) },
        {
          kind: 'message',
          externalMessageId: 'm_Pb1cK2eD3f',
          externalChatId: PSID,
          sender: { externalId: PSID },
          text: 'Talk to an agent',
          attachments: [],
          sentAt: new Date(1750413130412),
        },
      ]);
    });

    it('gives the watermark alone when a delivery lists no mids', () => {
      expect(sut.parse(page(fromCustomer(1, { delivery: { watermark: 1750413120500 } })), channel)).toStrictEqual([
        { kind: 'receipt', status: 'delivered', externalChatId: PSID, upTo: new Date(1750413120500) },
      ]);
    });

    it('reads every event of every entry, in order', () => {
      const body = {
        object: 'page',
        entry: [
          { id: PAGE_ID, time: 1, messaging: [fromCustomer(1, { message: { mid: 'a', text: '1' } })] },
          {
            id: PAGE_ID,
            time: 2,
            messaging: [
              { sender: { id: '42' }, recipient: { id: PAGE_ID }, timestamp: 2, message: { mid: 'b', text: '2' } },
              fromCustomer(3, { message: { mid: 'c', text: '3' } }),
            ],
          },
        ],
      };

      const events = sut.parse(body, channel);

      expect(
        events.map((event) => event.kind === 'message' && [event.externalMessageId, event.externalChatId]),
      ).toEqual([
        ['a', PSID],
        ['b', '42'],
        ['c', PSID],
      ]);
    });

    it('leaves out echoes of our own sends, reactions, postbacks without a mid, and other Pages', () => {
      const echo = {
        sender: { id: PAGE_ID },
        recipient: { id: PSID },
        timestamp: 1750413199955,
        message: {
          mid: 'm_Ec1hO2eC3hO4-echo-5mid6',
          is_echo: true,
          app_id: 1517776481860111,
          metadata: 'crm-msg-77f1',
          text: 'Your order ships tomorrow.',
        },
      };
      const body = {
        object: 'page',
        entry: [
          {
            id: PAGE_ID,
            time: 1,
            messaging: [
              echo,
              fromCustomer(2, { reaction: { mid: 'm_ours-1', action: 'react', emoji: '\u2764', reaction: 'love' } }),
              fromCustomer(3, { postback: { title: 'Get Started', payload: 'GET_STARTED' } }),
            ],
          },
          { id: '999000111', time: 1, messaging: [fromCustomer(4, { message: { mid: 'other-page', text: 'hi' } })] },
          { id: PAGE_ID, time: 1, standby: [fromCustomer(5, { message: { mid: 'standby', text: 'hi' } })] },
        ],
      };

      expect(sut.parse(body, channel)).toEqual([]);
    });

    it('accepts and ignores objects other than page', () => {
      expect(
        sut.parse({ object: 'instagram', entry: [{ id: '17841400000000000', time: 1, messaging: [] }] }, channel),
      ).toEqual([]);
    });

    it.each([
      ['no object', { entry: [] }, 'object'],
      ['no entry', { object: 'page' }, 'entry'],
      ['an entry without a Page id', { object: 'page', entry: [{ time: 1, messaging: [] }] }, 'entry[0].id'],
      [
        'an event without a sender',
        page({ recipient: { id: PAGE_ID }, timestamp: 1, message: { mid: 'x', text: 'x' } }),
        'entry[0].messaging[0].sender',
      ],
      [
        'a numeric sender id',
        page({ sender: { id: 42 }, recipient: { id: PAGE_ID }, timestamp: 1, message: { mid: 'x' } }),
        'entry[0].messaging[0].sender.id',
      ],
      [
        'a message without a mid',
        page(fromCustomer(1, { message: { text: 'x' } })),
        'entry[0].messaging[0].message.mid',
      ],
      [
        'a timestamp in ISO form',
        page(fromCustomer('2025-06-20T09:50:00Z' as never, { message: { mid: 'x' } })),
        'entry[0].messaging[0].timestamp',
      ],
      [
        'a timestamp beyond the Date range',
        page(fromCustomer(1e20, { message: { mid: 'x' } })),
        'entry[0].messaging[0].timestamp',
      ],
      [
        'a delivery without a watermark',
        page(fromCustomer(1, { delivery: { mids: ['m'] } })),
        'entry[0].messaging[0].delivery.watermark',
      ],
      [
        'an attachment without a type',
        page(fromCustomer(1, { message: { mid: 'x', attachments: [{ payload: { url: 'https://x' } }] } })),
        'entry[0].messaging[0].message.attachments[0].type',
      ],
    ])('refuses %s with INVALID_PAYLOAD naming the field', (_case, body, field) => {
      const error = appErrorOf(() => sut.parse(body, channel));

      expect(error).toMatchObject({ code: 'INVALID_PAYLOAD', field });
      expect(error.status).toBe(400);
    });
  });
});
