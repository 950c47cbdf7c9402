import { AppError } from '../../common/errors/app-error';
import { ChannelContext, InboundRequest } from '../../messaging/contracts/channel-context';
import { WhatsAppIncomeWorker } from './whatsapp.income.worker';
import { WhatsAppSettings } from './whatsapp.settings.dto';
import { hmacSha256Signature } from '../../common/crypto/hmac-signature';

const APP_SECRET = 'c0ffee0123456789abcdef0123456789';
const PHONE_NUMBER_ID = '106540352242922';
const CUSTOMER = '48601234567';

const channel: ChannelContext<WhatsAppSettings> = {
  id: '0b7f3c1e-5a2d-4f8e-9c61-2d4e8a7b9f30',
  name: 'Support WhatsApp',
  provider: 'whatsapp',
  source: PHONE_NUMBER_ID,
  settings: {
    accessToken: 'EAAGm0PX4ZCpsBAFakeSystemUserToken0123456789',
    appSecret: APP_SECRET,
    verifyToken: 'verify-me-please',
    phoneNumberId: PHONE_NUMBER_ID,
  },
  webhookUrl: 'https://chat.example.com/webhooks/0b7f3c1e-5a2d-4f8e-9c61-2d4e8a7b9f30',
};

/** A `messages` change as WhatsApp sends it (PROVIDERS.md §3.3); `value` fields replace the defaults. */
function change(value: Record<string, unknown>, phoneNumberId = PHONE_NUMBER_ID) {
  return {
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
      ...value,
    },
    field: 'messages',
  };
}

function webhook(...changes: unknown[]) {
  return { object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes }] };
}

const anna = [{ profile: { name: 'Anna Kowalska' }, wa_id: CUSTOMER }];

function inbound(message: Record<string, unknown>, contacts: unknown = anna) {
  return webhook(
    change({
      contacts,
      messages: [
        {
          from: CUSTOMER,
          id: 'wamid.HBgLNDg2MDEyMzQ1NjcVAgASGBQzRUIwQjdGNUUxQzREMEE5QjIxNgA=',
          timestamp: '1750413600',
          ...message,
        },
      ],
    }),
  );
}

function parseError(sut: WhatsAppIncomeWorker, body: unknown): AppError {
  try {
    sut.parse(body, channel);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error(`parse accepted ${JSON.stringify(body)}`);
}

describe(WhatsAppIncomeWorker.name, () => {
  let sut: WhatsAppIncomeWorker;

  beforeEach(() => {
    sut = new WhatsAppIncomeWorker();
  });

  describe('verify', () => {
    const rawBody = Buffer.from(JSON.stringify(inbound({ type: 'text', text: { body: 'hi' } })));
    const request = (headers: InboundRequest['headers'], body = rawBody): InboundRequest => ({
      headers,
      query: {},
      rawBody: body,
      body: JSON.parse(body.toString('utf8')),
    });

    it('accepts the raw body signed with the App Secret', () => {
      expect(() =>
        sut.verify(request({ 'x-hub-signature-256': hmacSha256Signature(rawBody, APP_SECRET) }), channel),
      ).not.toThrow();
    });

    it.each([
      ['no signature', {}],
      [
        'a signature made with the access token',
        { 'x-hub-signature-256': hmacSha256Signature(rawBody, channel.settings.accessToken) },
      ],
      [
        'a signature made with the verify token',
        { 'x-hub-signature-256': hmacSha256Signature(rawBody, channel.settings.verifyToken) },
      ],
      ['the legacy SHA-1 header only', { 'x-hub-signature': 'sha1=0123456789abcdef0123456789abcdef01234567' }],
    ])('refuses %s with INVALID_SIGNATURE', (_case, headers) => {
      expect(() => sut.verify(request(headers), channel)).toThrow(
        expect.objectContaining({ code: 'INVALID_SIGNATURE', status: 401 }),
      );
    });

    it('refuses the signature of the same JSON serialised differently (the bytes count, not the JSON)', () => {
      const pretty = Buffer.from(JSON.stringify(JSON.parse(rawBody.toString('utf8')), null, 2));

      expect(() =>
        sut.verify(request({ 'x-hub-signature-256': hmacSha256Signature(rawBody, APP_SECRET) }, pretty), channel),
      ).toThrow(expect.objectContaining({ code: 'INVALID_SIGNATURE' }));
    });
  });

  describe('challenge', () => {
    const request = (query: Record<string, unknown>): InboundRequest => ({
      headers: {},
      query,
      rawBody: Buffer.alloc(0),
      body: undefined,
    });

    it('echoes hub.challenge as plain text when hub.verify_token matches', () => {
      expect(
        sut.challenge(
          request({ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me-please', 'hub.challenge': '1158201444' }),
          channel,
        ),
      ).toEqual({ contentType: 'text/plain', body: '1158201444' });
    });

    it.each([
      ['a wrong verify token', { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' }],
      ['no verify token', { 'hub.mode': 'subscribe', 'hub.challenge': '1' }],
      [
        'the token twice',
        { 'hub.mode': 'subscribe', 'hub.verify_token': ['verify-me-please', 'x'], 'hub.challenge': '1' },
      ],
    ])('refuses %s with INVALID_SIGNATURE', (_case, query) => {
      expect(() => sut.challenge(request(query), channel)).toThrow(
        expect.objectContaining({ code: 'INVALID_SIGNATURE' }),
      );
    });

    it.each([
      ['another mode', { 'hub.mode': 'unsubscribe', 'hub.challenge': '1' }, 'hub.mode'],
      ['no challenge', { 'hub.mode': 'subscribe' }, 'hub.challenge'],
    ])('refuses %s with the right token as INVALID_PAYLOAD, echoing nothing', (_case, query, field) => {
      expect(() => sut.challenge(request({ ...query, 'hub.verify_token': 'verify-me-please' }), channel)).toThrow(
        expect.objectContaining({ code: 'INVALID_PAYLOAD', field }),
      );
    });
  });

  describe('parse', () => {
    it('turns a text message into a UnifiedMessage named from contacts[].profile.name', () => {
      const events = sut.parse(inbound({ type: 'text', text: { body: 'Hi, is my parcel 8812 on the way?' } }), channel);

      expect(events).toStrictEqual([
        {
          kind: 'message',
          externalMessageId: 'wamid.HBgLNDg2MDEyMzQ1NjcVAgASGBQzRUIwQjdGNUUxQzREMEE5QjIxNgA=',
          externalChatId: CUSTOMER,
          sender: { externalId: CUSTOMER, name: 'Anna Kowalska' },
          text: 'Hi, is my parcel 8812 on the way?',
          attachments: [],
          sentAt: new Date('2025-06-20T10:00:00.000Z'),
        },
      ]);
    });

    it('takes the name of the contact whose wa_id is the sender, and none when contacts name nobody else', () => {
      const contacts = [
        { profile: { name: 'Someone Else' }, wa_id: '15550001111' },
        { profile: { name: 'Anna Kowalska' }, wa_id: CUSTOMER },
      ];
      const [named] = sut.parse(inbound({ type: 'text', text: { body: 'a' } }, contacts), channel);
      const [unnamed] = sut.parse(inbound({ type: 'text', text: { body: 'b' } }, [contacts[0]]), channel);
      const [noContacts] = sut.parse(
        webhook(
          change({
            messages: [{ from: CUSTOMER, id: 'wamid.c', timestamp: '1750413600', type: 'text', text: { body: 'c' } }],
          }),
        ),
        channel,
      );

      expect(named).toMatchObject({ sender: { externalId: CUSTOMER, name: 'Anna Kowalska' } });
      expect(unnamed).toMatchObject({ sender: { externalId: CUSTOMER, name: undefined } });
      expect(noContacts).toMatchObject({ sender: { externalId: CUSTOMER, name: undefined } });
    });

    it('keeps an image by its media id, with the caption as text (the lookaside url is not kept)', () => {
      const [message] = sut.parse(
        inbound({
          type: 'image',
          image: {
            caption: 'Box was crushed',
            mime_type: 'image/jpeg',
            sha256: 'q1Wm0k7yYp3bQ9v2s8ZtR4uH6xN1cE5fG7jL0aD2oK8=',
            id: '1048227513347285',
            url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1048227513347285&ext=1750413961&hash=ATu-fake',
          },
        }),
        channel,
      );

      expect(message).toMatchObject({
        kind: 'message',
        text: 'Box was crushed',
        attachments: [{ kind: 'image', providerFileId: '1048227513347285', mimeType: 'image/jpeg' }],
      });
      expect(message.kind === 'message' && message.attachments[0].url).toBeFalsy();
    });

    it.each([
      [
        'a document with its file name and caption',
        {
          type: 'document',
          document: {
            caption: 'My receipt',
            filename: 'receipt-8812.pdf',
            mime_type: 'application/pdf',
            sha256: 'V2x9Lq8pR0sT4uW6yZ1bC3dE5fG7hJ9kM2nP4qS6tU8=',
            id: '622684793477190',
          },
        },
        'My receipt',
        {
          kind: 'document',
          providerFileId: '622684793477190',
          mimeType: 'application/pdf',
          fileName: 'receipt-8812.pdf',
        },
      ],
      [
        'a voice note as voice',
        {
          type: 'audio',
          audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'wq9X=', id: '1908647269898588', voice: true },
        },
        undefined,
        { kind: 'voice', providerFileId: '1908647269898588', mimeType: 'audio/ogg; codecs=opus' },
      ],
      [
        'an audio file as audio',
        { type: 'audio', audio: { mime_type: 'audio/mpeg', sha256: 'a1=', id: '555000111', voice: false } },
        undefined,
        { kind: 'audio', providerFileId: '555000111', mimeType: 'audio/mpeg' },
      ],
      [
        'a video with a caption',
        { type: 'video', video: { caption: 'Unboxing', mime_type: 'video/mp4', sha256: 'v1=', id: '777888999' } },
        'Unboxing',
        { kind: 'video', providerFileId: '777888999', mimeType: 'video/mp4' },
      ],
      [
        'a sticker',
        { type: 'sticker', sticker: { mime_type: 'image/webp', sha256: 's1=', id: '314159', animated: false } },
        undefined,
        { kind: 'sticker', providerFileId: '314159', mimeType: 'image/webp' },
      ],
    ])('keeps %s', (_case, message, text, attachment) => {
      const [parsed] = sut.parse(inbound(message), channel);

      expect(parsed).toEqual(expect.objectContaining({ kind: 'message', text, attachments: [attachment] }));
    });

    it('writes a location as text with its name, address and coordinates', () => {
      const [withPlace] = sut.parse(
        inbound({
          type: 'location',
          location: {
            address: '101 Forest Ave, Palo Alto, CA 94301',
            latitude: 37.44216251868683,
            longitude: -122.16153582049394,
            name: 'Philz Coffee',
            url: 'https://www.philzcoffee.com',
          },
        }),
        channel,
      );
      const [pin] = sut.parse(
        inbound({ type: 'location', location: { latitude: 52.2297, longitude: 21.0122 } }),
        channel,
      );

      expect(withPlace).toMatchObject({
        text: 'Location: Philz Coffee, 101 Forest Ave, Palo Alto, CA 94301 (37.44216251868683, -122.16153582049394)',
        attachments: [],
      });
      expect(pin).toMatchObject({ text: 'Location: (52.2297, 21.0122)', attachments: [] });
    });

    it('stores types it cannot show as a placeholder text, and skips reactions', () => {
      const events = sut.parse(
        webhook(
          change({
            contacts: anna,
            messages: [
              {
                from: CUSTOMER,
                id: 'wamid.contacts-card',
                timestamp: '1750413600',
                type: 'contacts',
                contacts: [{ name: { formatted_name: 'Jan' }, phones: [{ phone: '+48 600 000 000' }] }],
              },
              {
                from: CUSTOMER,
                id: 'wamid.unsupported',
                timestamp: '1750413601',
                type: 'unsupported',
                errors: [{ code: 131051, title: 'Message type unknown', message: 'Message type unknown' }],
              },
              {
                from: CUSTOMER,
                id: 'wamid.reaction',
                timestamp: '1750413602',
                type: 'reaction',
                reaction: { message_id: 'wamid.earlier', emoji: '👍' },
              },
            ],
          }),
        ),
        channel,
      );

      expect(events.map((event) => event.kind === 'message' && [event.externalMessageId, event.text])).toEqual([
        ['wamid.contacts-card', '[unsupported WhatsApp message type "contacts"]'],
        ['wamid.unsupported', '[unsupported WhatsApp message type "unsupported"]'],
      ]);
    });

    it('turns statuses into receipts for our outgoing messages; played counts as read', () => {
      const id = 'wamid.HBgLNDg2MDEyMzQ1NjcVAgARGBI0QTdCNkU1RjRDM0IyQTE5MAA=';
      const events = sut.parse(
        webhook(
          change({
            statuses: [
              {
                id,
                status: 'sent',
                timestamp: '1750413800',
                recipient_id: CUSTOMER,
                biz_opaque_callback_data: 'crm-msg-77f1',
                pricing: { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' },
              },
              { id, status: 'delivered', timestamp: '1750413820', recipient_id: CUSTOMER },
              { id, status: 'read', timestamp: '1750413841', recipient_id: CUSTOMER },
              { id: 'wamid.voice', status: 'played', timestamp: '1750413850', recipient_id: CUSTOMER },
              { id: 'wamid.other', status: 'deleted', timestamp: '1750413860', recipient_id: CUSTOMER },
            ],
          }),
        ),
        channel,
      );

      expect(events).toStrictEqual([
        { kind: 'receipt', status: 'sent', externalChatId: CUSTOMER, externalMessageId: id },
        { kind: 'receipt', status: 'delivered', externalChatId: CUSTOMER, externalMessageId: id },
        { kind: 'receipt', status: 'read', externalChatId: CUSTOMER, externalMessageId: id },
        { kind: 'receipt', status: 'read', externalChatId: CUSTOMER, externalMessageId: 'wamid.voice' },
      ]);
    });

    it("gives a failed status WhatsApp's reason, and says when the 24-hour window closed", () => {
      const events = sut.parse(
        webhook(
          change({
            statuses: [
              {
                id: 'wamid.HBgLNDg2MDEyMzQ1NjcVAgARGBIzMEUxRjJBM0I0QzVENkU3RgA=',
                status: 'failed',
                timestamp: '1750499999',
                recipient_id: CUSTOMER,
                errors: [
                  {
                    code: 131047,
                    title: 'Re-engagement message',
                    message: 'Re-engagement message',
                    error_data: {
                      details:
                        'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
                    },
                    href: '/documentation/business-messaging/whatsapp/support/error-codes',
                  },
                ],
              },
              {
                id: 'wamid.undeliverable',
                status: 'failed',
                timestamp: '1750499999',
                recipient_id: CUSTOMER,
                errors: [{ code: 131026, title: 'Message undeliverable' }],
              },
            ],
          }),
        ),
        channel,
      );

      expect(events).toEqual([
        expect.objectContaining({
          status: 'failed',
          externalMessageId: 'wamid.HBgLNDg2MDEyMzQ1NjcVAgARGBIzMEUxRjJBM0I0QzVENkU3RgA=',
          error:
            'outside the 24-hour customer service window: send a template: Re-engagement message: Message failed to send because more than 24 hours have passed since the customer last replied to this number. (Graph error 131047)',
        }),
        expect.objectContaining({
          status: 'failed',
          externalMessageId: 'wamid.undeliverable',
          error: 'Message undeliverable (Graph error 131026)',
        }),
      ]);
    });

    it('reads every entry and change of a batch, in order, and only those of this phone number', () => {
      const body = {
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '102290129340398',
            changes: [
              change({
                contacts: anna,
                messages: [
                  { from: CUSTOMER, id: 'wamid.1', timestamp: '1750413600', type: 'text', text: { body: 'one' } },
                  { from: CUSTOMER, id: 'wamid.2', timestamp: '1750413601', type: 'text', text: { body: 'two' } },
                ],
              }),
              change({
                statuses: [{ id: 'wamid.ours', status: 'delivered', timestamp: '1750413602', recipient_id: CUSTOMER }],
              }),
              change(
                {
                  contacts: [{ profile: { name: 'Not ours' }, wa_id: '15550002222' }],
                  messages: [
                    { from: '15550002222', id: 'wamid.x', timestamp: '1750413603', type: 'text', text: { body: 'x' } },
                  ],
                },
                '999999999999999',
              ),
            ],
          },
          {
            id: '102290129340398',
            changes: [
              { field: 'account_update', value: { phone_number: '15550783881', event: 'VERIFIED_ACCOUNT' } },
              change({
                contacts: [{ profile: { name: 'Jan Nowak' }, wa_id: '48700111222' }],
                messages: [
                  {
                    from: '48700111222',
                    id: 'wamid.3',
                    timestamp: '1750413604',
                    type: 'text',
                    text: { body: 'three' },
                  },
                ],
              }),
            ],
          },
        ],
      };

      const events = sut.parse(body, channel);

      expect(
        events.map((event) =>
          event.kind === 'message'
            ? [event.externalMessageId, event.sender.name]
            : [event.externalMessageId, event.status],
        ),
      ).toEqual([
        ['wamid.1', 'Anna Kowalska'],
        ['wamid.2', 'Anna Kowalska'],
        ['wamid.ours', 'delivered'],
        ['wamid.3', 'Jan Nowak'],
      ]);
    });

    it('accepts, and leaves out, app-level errors and objects other than whatsapp_business_account', () => {
      const errorsOnly = webhook(
        change({
          errors: [
            {
              code: 130429,
              title: 'Rate limit hit',
              message: 'Rate limit hit',
              error_data: {
                details:
                  'Message failed to send because there were too many messages sent from this phone number in a short period of time',
              },
            },
          ],
        }),
      );

      expect(sut.parse(errorsOnly, channel)).toEqual([]);
      expect(sut.parse({ object: 'page', entry: [{ id: '1', messaging: [] }] }, channel)).toEqual([]);
      expect(sut.parse(webhook(), channel)).toEqual([]);
    });

    it('reads the timestamp as Unix seconds, given as a string or a number', () => {
      const [asString] = sut.parse(inbound({ type: 'text', text: { body: 'a' }, timestamp: '1795256130' }), channel);
      const [asNumber] = sut.parse(inbound({ type: 'text', text: { body: 'a' }, timestamp: 1795256130 }), channel);

      expect(asString.kind === 'message' && asString.sentAt.toISOString()).toBe('2026-11-21T10:15:30.000Z');
      expect(asNumber.kind === 'message' && asNumber.sentAt.toISOString()).toBe('2026-11-21T10:15:30.000Z');
    });

    it.each([
      ['no object', {}, 'object'],
      ['no entry', { object: 'whatsapp_business_account' }, 'entry'],
      [
        'a message without id',
        inbound({ id: undefined, type: 'text', text: { body: 'a' } }),
        'entry[0].changes[0].value.messages[0].id',
      ],
      [
        'a message without sender',
        inbound({ from: undefined, type: 'text', text: { body: 'a' } }),
        'entry[0].changes[0].value.messages[0].from',
      ],
      ['a text message without text', inbound({ type: 'text' }), 'entry[0].changes[0].value.messages[0].text'],
      [
        'an image without media id',
        inbound({ type: 'image', image: { mime_type: 'image/jpeg' } }),
        'entry[0].changes[0].value.messages[0].image.id',
      ],
      [
        'a timestamp in ISO form',
        inbound({ type: 'text', text: { body: 'a' }, timestamp: '2025-06-20T10:00:00Z' }),
        'entry[0].changes[0].value.messages[0].timestamp',
      ],
      [
        'a change without metadata',
        webhook({ field: 'messages', value: { messaging_product: 'whatsapp', messages: [] } }),
        'entry[0].changes[0].value.metadata',
      ],
    ])('refuses %s with INVALID_PAYLOAD naming the field', (_case, body, field) => {
      const error = parseError(sut, JSON.parse(JSON.stringify(body)));

      expect(error).toMatchObject({ code: 'INVALID_PAYLOAD', field });
    });
  });
});
