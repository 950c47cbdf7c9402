import { AppError } from '../../common/errors/app-error';
import { ChannelContext, InboundRequest } from '../../messaging/contracts/channel-context';
import { WebhookIncomeWorker } from './webhook.income.worker';
import { WebhookSettings } from './webhook.settings.dto';
import { signBody } from './webhook.signature';

const SECRET = 'receiver-shared-secret-0123456789';

const channel: ChannelContext<WebhookSettings> = {
  id: '6f1c2a8e-0d4b-4c52-9d0e-3b7a1f2c9e10',
  name: 'Shop site',
  provider: 'webhook',
  source: null,
  settings: { url: 'https://shop.example.com/omnichannel/outbound', secret: SECRET },
  webhookUrl: 'https://chat.example.com/webhooks/6f1c2a8e-0d4b-4c52-9d0e-3b7a1f2c9e10',
};

/** One message as a custom channel sends it; `overrides` replace (or, with undefined, remove) fields. */
function message(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    id: 'msg-1001',
    chatId: 'order-42',
    from: { id: 'customer-7', name: 'Ada Lovelace' },
    text: 'Where is my parcel?',
    timestamp: '2026-11-21T10:15:30.000Z',
  };
  const merged = { ...base, ...overrides };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  return merged;
}

function parseError(sut: WebhookIncomeWorker, body: unknown): AppError {
  try {
    sut.parse(body);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error(`parse accepted ${JSON.stringify(body)}`);
}

describe(WebhookIncomeWorker.name, () => {
  let sut: WebhookIncomeWorker;

  beforeEach(() => {
    sut = new WebhookIncomeWorker();
  });

  describe('verify', () => {
    const rawBody = Buffer.from(JSON.stringify({ messages: [message()] }));
    const inbound = (headers: InboundRequest['headers'], body = rawBody): InboundRequest => ({
      headers,
      query: {},
      rawBody: body,
      body: JSON.parse(body.toString('utf8')),
    });

    it('accepts a body signed with the channel secret', () => {
      expect(() => sut.verify(inbound({ 'x-signature-256': signBody(rawBody, SECRET) }), channel)).not.toThrow();
    });

    it.each([
      ['no signature', {}],
      ['a signature made with another secret', { 'x-signature-256': signBody(rawBody, 'another-secret-0123456789') }],
      ['a malformed signature', { 'x-signature-256': 'not-a-signature' }],
      ['the header twice', { 'x-signature-256': [signBody(rawBody, SECRET), signBody(rawBody, SECRET)] }],
    ])('refuses %s with INVALID_SIGNATURE', (_case, headers) => {
      expect(() => sut.verify(inbound(headers), channel)).toThrow(
        expect.objectContaining({ code: 'INVALID_SIGNATURE', status: 401 }),
      );
    });

    it('refuses a signature of another body', () => {
      const otherBody = Buffer.from(JSON.stringify({ messages: [message({ text: 'Refund me' })] }));

      expect(() => sut.verify(inbound({ 'x-signature-256': signBody(rawBody, SECRET) }, otherBody), channel)).toThrow(
        expect.objectContaining({ code: 'INVALID_SIGNATURE' }),
      );
    });
  });

  describe('parse', () => {
    it('turns a real-shaped body into a UnifiedMessage, every field mapped', () => {
      const body = JSON.parse(
        JSON.stringify({
          messages: [
            message({
              attachments: [
                {
                  url: 'https://cdn.shop.example.com/uploads/receipt.pdf',
                  type: 'document',
                  fileName: 'receipt.pdf',
                  mimeType: 'application/pdf',
                },
              ],
            }),
          ],
        }),
      );

      const [parsed, ...rest] = sut.parse(body);

      expect(rest).toEqual([]);
      expect(parsed).toStrictEqual({
        kind: 'message',
        externalMessageId: 'msg-1001',
        externalChatId: 'order-42',
        sender: { externalId: 'customer-7', name: 'Ada Lovelace' },
        text: 'Where is my parcel?',
        attachments: [
          {
            kind: 'document',
            url: 'https://cdn.shop.example.com/uploads/receipt.pdf',
            fileName: 'receipt.pdf',
            mimeType: 'application/pdf',
          },
        ],
        sentAt: new Date('2026-11-21T10:15:30.000Z'),
      });
      expect(parsed.sentAt).toBeInstanceOf(Date);
    });

    it('reads the timestamp as Unix seconds when it is a number', () => {
      const [parsed] = sut.parse({ messages: [message({ timestamp: 1795256130 })] });

      expect(parsed.sentAt.toISOString()).toBe('2026-11-21T10:15:30.000Z');
    });

    it('accepts a message with attachments and no text, and a sender without a name', () => {
      const [parsed] = sut.parse({
        messages: [
          message({
            text: undefined,
            from: { id: 'customer-7' },
            attachments: [{ url: 'http://10.0.0.5:8080/photo.jpg', type: 'image' }],
          }),
        ],
      });

      expect(parsed.text).toBeUndefined();
      expect(parsed.sender).toEqual({ externalId: 'customer-7' });
      expect(parsed.sender.name).toBeUndefined();
      expect(parsed.attachments).toEqual([{ kind: 'image', url: 'http://10.0.0.5:8080/photo.jpg' }]);
    });

    it('gives every message of a batch, in order', () => {
      const parsed = sut.parse({
        messages: [
          message({ id: 'a', text: 'first', timestamp: '2026-11-21T10:00:00Z' }),
          message({ id: 'b', chatId: 'order-43', text: 'second', timestamp: 1795255260 }),
          message({ id: 'c', from: { id: 'customer-8', name: 'Grace' }, text: 'third' }),
        ],
      });

      expect(parsed.map((item) => item.externalMessageId)).toEqual(['a', 'b', 'c']);
      expect(parsed.map((item) => item.text)).toEqual(['first', 'second', 'third']);
      expect(parsed.map((item) => item.externalChatId)).toEqual(['order-42', 'order-43', 'order-42']);
      expect(parsed[1].sentAt.toISOString()).toBe('2026-11-21T10:01:00.000Z');
      expect(parsed[2].sender).toEqual({ externalId: 'customer-8', name: 'Grace' });
      expect(parsed.every((item) => item.attachments.length === 0)).toBe(true);
    });

    it.each([
      ['no messages', {}, 'messages'],
      ['messages that is not an array', { messages: 'hello' }, 'messages'],
      ['an empty batch', { messages: [] }, 'messages'],
      ['a message that is not an object', { messages: ['hello'] }, 'messages[0]'],
      ['a message without an id', { messages: [message({ id: undefined })] }, 'messages[0].id'],
      ['a numeric message id', { messages: [message({ id: 1001 })] }, 'messages[0].id'],
      ['a message without a chat id', { messages: [message({ chatId: undefined })] }, 'messages[0].chatId'],
      ['a sender without an id', { messages: [message({ from: { name: 'Ada' } })] }, 'messages[0].from.id'],
      ['a sender that is a string', { messages: [message({ from: 'customer-7' })] }, 'messages[0].from'],
      ['a message without a sender', { messages: [message({ from: undefined })] }, 'messages[0].from'],
      ['no text and no attachments', { messages: [message({ text: undefined })] }, 'messages[0].text'],
      [
        'no text and an empty attachment list',
        { messages: [message({ text: undefined, attachments: [] })] },
        'messages[0].text',
      ],
      [
        'a bad second message timestamp',
        { messages: [message(), message({ timestamp: 'yesterday' })] },
        'messages[1].timestamp',
      ],
      [
        'a missing second message timestamp',
        { messages: [message(), message({ timestamp: undefined })] },
        'messages[1].timestamp',
      ],
      ['a boolean timestamp', { messages: [message({ timestamp: true })] }, 'messages[0].timestamp'],
      ['a timestamp out of the Date range', { messages: [message({ timestamp: 1e20 })] }, 'messages[0].timestamp'],
      [
        'an ftp attachment url',
        { messages: [message({ attachments: [{ url: 'ftp://files.example.com/a.pdf', type: 'document' }] })] },
        'messages[0].attachments[0].url',
      ],
      [
        'an attachment url that is not a URL',
        { messages: [message({ attachments: [{ url: 'receipt.pdf', type: 'document' }] })] },
        'messages[0].attachments[0].url',
      ],
      [
        'an unknown attachment type',
        { messages: [message({ attachments: [{ url: 'https://cdn.example.com/a.gif', type: 'gif' }] })] },
        'messages[0].attachments[0].type',
      ],
      [
        'a bad attachment in the second message',
        {
          messages: [
            message(),
            message({
              attachments: [
                { url: 'https://cdn.example.com/a.png', type: 'image' },
                { url: 'https://cdn.example.com/b.png', type: 'picture' },
              ],
            }),
          ],
        },
        'messages[1].attachments[1].type',
      ],
    ])('refuses %s with INVALID_PAYLOAD naming the field', (_case, body, field) => {
      const error = parseError(sut, body);

      expect(error.code).toBe('INVALID_PAYLOAD');
      expect(error.status).toBe(400);
      expect(error.field).toBe(field);
    });

    it("explains a missing text with the DTO's own message, naming the field", () => {
      const error = parseError(sut, { messages: [message({ text: undefined })] });

      expect(error.message).toBe('messages[0].text is required when there are no attachments');
    });

    it('explains a missing messages array as missing, not as too long', () => {
      const error = parseError(sut, {});

      expect(error.message).toContain('messages');
      expect(error.message).not.toContain('no more than 100');
    });

    it.each([
      ['an array', [message()]],
      ['a string', 'hello'],
      ['null', null],
    ])('refuses a body that is %s', (_case, body) => {
      const error = parseError(sut, body);

      expect(error.code).toBe('INVALID_PAYLOAD');
      expect(error.field).toBeUndefined();
    });
  });
});
