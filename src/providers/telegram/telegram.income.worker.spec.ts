import { AppError } from '../../common/errors/app-error';
import { ChannelContext, InboundRequest } from '../../messaging/contracts/channel-context';
import { TelegramIncomeWorker } from './telegram.income.worker';
import { TelegramSettings } from './telegram.settings.dto';

const SECRET_TOKEN = 'tg_9f3Kq2xLm7Zr-acme_0123456789abcdef';

const channel: ChannelContext<TelegramSettings> = {
  id: '0c9e3f5a-6b1d-4e8f-9a2b-3c4d5e6f7a8b',
  name: 'Acme support bot',
  provider: 'telegram',
  source: '7012345678',
  settings: {
    token: '7012345678:AAHfakeTokenForUnitTests_0123456789ab',
    apiBaseUrl: 'https://api.telegram.org',
    webhookSecretToken: SECRET_TOKEN,
  },
  webhookUrl: 'https://chat.example.com/webhooks/0c9e3f5a-6b1d-4e8f-9a2b-3c4d5e6f7a8b',
};

const anna = {
  id: 5123456789,
  is_bot: false,
  first_name: 'Anna',
  last_name: 'Kowalska',
  username: 'anna_k',
  language_code: 'pl',
};
const annaChat = { id: 5123456789, first_name: 'Anna', last_name: 'Kowalska', username: 'anna_k', type: 'private' };

/** A `message` update of Anna's private chat, with `content` merged into the message. */
function messageUpdate(content: Record<string, unknown>, updateId = 815320731): Record<string, unknown> {
  return {
    update_id: updateId,
    message: { message_id: 4211, from: anna, chat: annaChat, date: 1750412345, ...content },
  };
}

function parseError(sut: TelegramIncomeWorker, body: unknown): AppError {
  try {
    sut.parse(body);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error(`parse accepted ${JSON.stringify(body)}`);
}

describe(TelegramIncomeWorker.name, () => {
  let sut: TelegramIncomeWorker;

  beforeEach(() => {
    sut = new TelegramIncomeWorker();
  });

  describe('verify', () => {
    const inbound = (headers: InboundRequest['headers']): InboundRequest => ({
      headers,
      query: {},
      rawBody: Buffer.from(JSON.stringify(messageUpdate({ text: 'hi' }))),
      body: messageUpdate({ text: 'hi' }),
    });

    it('accepts the secret token given to setWebhook', () => {
      expect(() => sut.verify(inbound({ 'x-telegram-bot-api-secret-token': SECRET_TOKEN }), channel)).not.toThrow();
    });

    it.each([
      ['no header', {}],
      ['another token', { 'x-telegram-bot-api-secret-token': 'tg_another-token_0123456789abcdefghij' }],
      ['the token with one character less', { 'x-telegram-bot-api-secret-token': SECRET_TOKEN.slice(0, -1) }],
      ['an empty header', { 'x-telegram-bot-api-secret-token': '' }],
      ['the header twice', { 'x-telegram-bot-api-secret-token': [SECRET_TOKEN, SECRET_TOKEN] }],
    ])('refuses %s with INVALID_SIGNATURE', (_case, headers) => {
      expect(() => sut.verify(inbound(headers), channel)).toThrow(
        expect.objectContaining({ code: 'INVALID_SIGNATURE', status: 401 }),
      );
    });

    it('refuses everything while the channel has no secret token yet', () => {
      const unregistered = { ...channel, settings: { ...channel.settings, webhookSecretToken: undefined } };

      expect(() => sut.verify(inbound({ 'x-telegram-bot-api-secret-token': '' }), unregistered)).toThrow(
        expect.objectContaining({ code: 'INVALID_SIGNATURE' }),
      );
    });
  });

  describe('parse', () => {
    it('turns a text message into a UnifiedMessage keyed by chat and message id', () => {
      const body = messageUpdate({
        text: '/start hello 👋',
        entities: [{ offset: 0, length: 6, type: 'bot_command' }],
      });

      expect(sut.parse(body)).toStrictEqual([
        {
          kind: 'message',
          externalMessageId: '5123456789:4211',
          externalChatId: '5123456789',
          sender: { externalId: '5123456789', name: 'Anna Kowalska' },
          text: '/start hello 👋',
          attachments: [],
          sentAt: new Date('2025-06-20T09:39:05.000Z'),
        },
      ]);
    });

    it('takes the largest photo size whatever its place, and the caption as text', () => {
      const photo = [
        { file_id: 'photo-s-90', file_unique_id: 'AQADq7sxG0xQcEtx', file_size: 1512, width: 90, height: 68 },
        { file_id: 'photo-y-1280', file_unique_id: 'AQADq7sxG0xQcEt-', file_size: 201944, width: 1280, height: 960 },
        { file_id: 'photo-m-320', file_unique_id: 'AQADq7sxG0xQcEty', file_size: 21877, width: 320, height: 240 },
      ];

      const [parsed] = sut.parse(messageUpdate({ photo, caption: 'Damaged box on arrival', media_group_id: '1375' }));

      expect(parsed).toMatchObject({
        kind: 'message',
        text: 'Damaged box on arrival',
        attachments: [{ kind: 'image', providerFileId: 'photo-y-1280', mimeType: 'image/jpeg' }],
      });
    });

    it.each([
      [
        'a document',
        {
          document: {
            file_name: 'invoice-2025-0612.pdf',
            mime_type: 'application/pdf',
            thumbnail: {
              file_id: 'thumb',
              file_unique_id: 'AQADm0kAAuYq8Ut-',
              file_size: 11382,
              width: 226,
              height: 320,
            },
            file_id: 'BQACAgIAAxkBAAIQdWZtXysdoc-invoice',
            file_unique_id: 'AgADm0kAAuYq8Us',
            file_size: 348211,
          },
          caption: 'Invoice attached',
        },
        {
          kind: 'document',
          providerFileId: 'BQACAgIAAxkBAAIQdWZtXysdoc-invoice',
          fileName: 'invoice-2025-0612.pdf',
          mimeType: 'application/pdf',
        },
      ],
      [
        'an audio file',
        {
          audio: {
            file_id: 'CQACAgIAAxkBAAIQ-audio',
            file_unique_id: 'AgADaudio',
            duration: 214,
            performer: 'Acme Band',
            title: 'Hold music',
            file_name: 'hold-music.mp3',
            mime_type: 'audio/mpeg',
            file_size: 3425112,
          },
        },
        { kind: 'audio', providerFileId: 'CQACAgIAAxkBAAIQ-audio', fileName: 'hold-music.mp3', mimeType: 'audio/mpeg' },
      ],
      [
        'a voice note',
        {
          voice: {
            file_id: 'AwACAgIAAxkBAAIQ-voice',
            file_unique_id: 'AgADvoice',
            duration: 7,
            mime_type: 'audio/ogg',
            file_size: 24310,
          },
        },
        { kind: 'voice', providerFileId: 'AwACAgIAAxkBAAIQ-voice', mimeType: 'audio/ogg' },
      ],
      [
        'a video',
        {
          video: {
            file_id: 'BAACAgIAAxkBAAIQ-video',
            file_unique_id: 'AgADvideo',
            width: 1280,
            height: 720,
            duration: 12,
            file_name: 'unboxing.mp4',
            mime_type: 'video/mp4',
            file_size: 2310442,
          },
        },
        { kind: 'video', providerFileId: 'BAACAgIAAxkBAAIQ-video', fileName: 'unboxing.mp4', mimeType: 'video/mp4' },
      ],
      [
        'a round video note',
        { video_note: { file_id: 'DQACAgIAAxkBAAIQ-note', file_unique_id: 'AgADnote', length: 240, duration: 5 } },
        { kind: 'video', providerFileId: 'DQACAgIAAxkBAAIQ-note' },
      ],
      [
        'a static sticker',
        {
          sticker: {
            file_id: 'CAACAgIAAxkBAAIQ-sticker',
            file_unique_id: 'AgADsticker',
            type: 'regular',
            width: 512,
            height: 512,
            is_animated: false,
            is_video: false,
            emoji: '👍',
            set_name: 'AcmeStickers',
            file_size: 18734,
          },
        },
        { kind: 'sticker', providerFileId: 'CAACAgIAAxkBAAIQ-sticker', mimeType: 'image/webp' },
      ],
      [
        'an animated sticker',
        {
          sticker: {
            file_id: 'CAACAgIAAxkBAAIQ-tgs',
            file_unique_id: 'AgADtgs',
            type: 'regular',
            width: 512,
            height: 512,
            is_animated: true,
            is_video: false,
          },
        },
        { kind: 'sticker', providerFileId: 'CAACAgIAAxkBAAIQ-tgs', mimeType: 'application/x-tgsticker' },
      ],
      [
        'a video sticker',
        {
          sticker: {
            file_id: 'CAACAgIAAxkBAAIQ-webm',
            file_unique_id: 'AgADwebm',
            type: 'regular',
            width: 512,
            height: 512,
            is_animated: false,
            is_video: true,
          },
        },
        { kind: 'sticker', providerFileId: 'CAACAgIAAxkBAAIQ-webm', mimeType: 'video/webm' },
      ],
    ])('turns %s into one attachment to download by file_id', (_case, content, attachment) => {
      const [parsed] = sut.parse(messageUpdate(content));

      expect(parsed.attachments).toStrictEqual([attachment]);
      expect(parsed.text).toBe((content as { caption?: string }).caption);
    });

    it('writes a location as text with a map link, and no attachment to download', () => {
      const [parsed] = sut.parse(messageUpdate({ location: { latitude: 52.229676, longitude: 21.012229 } }));

      expect(parsed).toMatchObject({
        text: 'Location: 52.229676, 21.012229 https://www.openstreetmap.org/?mlat=52.229676&mlon=21.012229',
        attachments: [],
      });
    });

    it('writes a venue with its name and address', () => {
      const location = { latitude: 52.2319, longitude: 21.0067 };
      const venue = { location, title: 'Acme Store', address: 'Marszałkowska 1, Warszawa' };

      const [parsed] = sut.parse(messageUpdate({ location, venue }));

      expect(parsed.text).toBe(
        'Venue: Acme Store, Marszałkowska 1, Warszawa (52.2319, 21.0067) https://www.openstreetmap.org/?mlat=52.2319&mlon=21.0067',
      );
    });

    it('writes a shared contact as text', () => {
      const contact = { phone_number: '+48600100200', first_name: 'Jan', last_name: 'Nowak', user_id: 5987654321 };

      const [parsed] = sut.parse(messageUpdate({ contact }));

      expect(parsed).toMatchObject({ text: 'Contact: Jan Nowak, +48600100200', attachments: [] });
    });

    it('marks an edited_message as an edit of the same message, timed at its edit', () => {
      const body = {
        update_id: 815320734,
        edited_message: {
          message_id: 4211,
          from: { id: 5123456789, is_bot: false, first_name: 'Anna', username: 'anna_k' },
          chat: { id: 5123456789, first_name: 'Anna', username: 'anna_k', type: 'private' },
          date: 1750412345,
          edit_date: 1750412511,
          text: '/start hello again',
        },
      };

      expect(sut.parse(body)).toStrictEqual([
        {
          kind: 'message',
          externalMessageId: '5123456789:4211',
          externalChatId: '5123456789',
          sender: { externalId: '5123456789', name: 'Anna' },
          text: '/start hello again',
          attachments: [],
          sentAt: new Date(1750412511 * 1000),
          edited: true,
        },
      ]);
    });

    it('keys messages of a group by the group chat and names the member who wrote', () => {
      const group = { id: -1001987654321, title: 'Acme customers', type: 'supergroup' };

      const [parsed] = sut.parse({
        update_id: 815320740,
        message: { message_id: 77, from: anna, chat: group, date: 1750412345, text: 'anyone there?' },
      });

      expect(parsed).toMatchObject({
        externalMessageId: '-1001987654321:77',
        externalChatId: '-1001987654321',
        sender: { externalId: '5123456789', name: 'Anna Kowalska' },
      });
    });

    it('takes the chat as the sender of a message without `from`', () => {
      const channelChat = { id: -1001555000111, title: 'Acme news', type: 'channel' };

      const [parsed] = sut.parse({
        update_id: 815320741,
        message: { message_id: 5, sender_chat: channelChat, chat: channelChat, date: 1750412345, text: 'posted' },
      });

      expect(parsed.sender).toEqual({ externalId: '-1001555000111', name: 'Acme news' });
    });

    it.each([
      [
        'a callback query',
        {
          update_id: 815320735,
          callback_query: {
            id: '2200840712345678901',
            from: anna,
            chat_instance: '-6827355012345678901',
            data: 'csat:yes',
          },
        },
      ],
      [
        'a bot added to a chat',
        {
          update_id: 815320736,
          my_chat_member: {
            chat: annaChat,
            from: anna,
            date: 1750412345,
            old_chat_member: { status: 'left', user: { id: 7012345678, is_bot: true, first_name: 'Acme Support' } },
            new_chat_member: { status: 'member', user: { id: 7012345678, is_bot: true, first_name: 'Acme Support' } },
          },
        },
      ],
      ['a message with a poll only', messageUpdate({ poll: { id: '1', question: 'Which?', options: [] } })],
      ['a service message', messageUpdate({ new_chat_title: 'Renamed' })],
      ['a dice', messageUpdate({ dice: { emoji: '🎲', value: 4 } })],
    ])('acknowledges %s without a message', (_case, body) => {
      expect(sut.parse(body)).toEqual([]);
    });

    it.each([
      ['no update_id', { message: messageUpdate({ text: 'hi' }).message }, 'update_id'],
      ['an update_id that is a string', { ...messageUpdate({ text: 'hi' }), update_id: '815320731' }, 'update_id'],
      [
        'a message without a chat',
        { update_id: 1, message: { message_id: 1, from: anna, date: 1750412345, text: 'hi' } },
        'message.chat',
      ],
      ['a text that is not a string', messageUpdate({ text: 42 }), 'message.text'],
      [
        'a photo size without a file_id',
        messageUpdate({ photo: [{ width: 90, height: 68 }] }),
        'message.photo[0].file_id',
      ],
      ['a document without a file_id', messageUpdate({ document: { file_name: 'a.pdf' } }), 'message.document.file_id'],
      ['a location without longitude', messageUpdate({ location: { latitude: 52.2 } }), 'message.location.longitude'],
      [
        'an edited message without a date',
        { update_id: 2, edited_message: { message_id: 1, from: anna, chat: annaChat, text: 'x' } },
        'edited_message.date',
      ],
    ])('refuses %s with INVALID_PAYLOAD naming the field', (_case, body, field) => {
      const error = parseError(sut, body);

      expect(error.code).toBe('INVALID_PAYLOAD');
      expect(error.field).toBe(field);
    });
  });
});
