import { createHash } from 'node:crypto';
import request from 'supertest';
import { TelegramFakeApi } from '../fakes/telegram-api';
import { createOperator } from '../support/agent-setup';
import { eventually } from '../support/eventually';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

const TOKEN = '7012345678:AAHfakeTokenForE2eTests_0123456789abcdefXYZ';
const PUBLIC_URL = 'https://chat.example.com';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

interface TelegramChannel {
  id: string;
  /** The secret_token the registration gave setWebhook. */
  secret: string;
}

describe('Telegram provider (Bot API fake on 127.0.0.1)', () => {
  let sut: TestApp;
  let telegram: TelegramFakeApi;
  let updateId = 815320700;
  let nextUserId = 5123456700;
  /** Every answer of this service's API seen in this file, to look for leaked secrets at the end. */
  const answers: unknown[] = [];

  beforeAll(async () => {
    sut = await startTestApp({ PUBLIC_URL, PROVIDER_HTTP_TIMEOUT_MS: '1000', OUTBOUND_MAX_ATTEMPTS: '3' });
    telegram = await TelegramFakeApi.start(TOKEN);
  });

  afterAll(async () => {
    await sut.close();
    await telegram.stop();
  });

  async function registerBot(api = telegram, token = TOKEN): Promise<TelegramChannel> {
    const response = await sut
      .admin()
      .post('/admin/channels')
      .send({ name: 'Acme support bot', provider: 'telegram', settings: { token, apiBaseUrl: api.url } })
      .expect(201);
    answers.push(response.body);
    return { id: response.body.id, secret: api.bodiesOf('setWebhook').at(-1)!.secret_token };
  }

  function postUpdate(channel: TelegramChannel, update: object, secret: string | null = channel.secret) {
    const post = request(sut.app.getHttpServer())
      .post(`/webhooks/${channel.id}`)
      .set('content-type', 'application/json');
    return (secret === null ? post : post.set(SECRET_HEADER, secret)).send(JSON.stringify(update));
  }

  /** A new customer: Anna, with a private chat whose id is her user id. */
  function newCustomer() {
    const id = ++nextUserId;
    return {
      id,
      from: { id, is_bot: false, first_name: 'Anna', last_name: 'Kowalska', username: 'anna_k', language_code: 'pl' },
      chat: { id, first_name: 'Anna', last_name: 'Kowalska', username: 'anna_k', type: 'private' },
    };
  }
  type Customer = ReturnType<typeof newCustomer>;

  function messageUpdate(customer: Customer, messageId: number, content: object) {
    return {
      update_id: ++updateId,
      message: { message_id: messageId, from: customer.from, chat: customer.chat, date: 1750412345, ...content },
    };
  }

  async function chatOf(channel: TelegramChannel) {
    const chats = await sut.admin().get('/chats').query({ channelId: channel.id }).expect(200);
    answers.push(chats.body);
    return chats.body.items[0];
  }

  async function messagesOf(chatId: string) {
    const page = await sut.admin().get(`/chats/${chatId}/messages`).expect(200);
    answers.push(page.body);
    return page.body.items;
  }

  function bytesOf(path: string, token?: string) {
    const get = request(sut.app.getHttpServer()).get(path);
    return (token ? get.auth(token, { type: 'bearer' }) : get).buffer(true).parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    });
  }

  /** A channel, and a chat opened by a customer's first message. */
  async function openChat(): Promise<{ channel: TelegramChannel; customer: Customer; chatId: string }> {
    const channel = await registerBot();
    const customer = newCustomer();
    await postUpdate(channel, messageUpdate(customer, 1, { text: 'Hello?' })).expect(200);
    return { channel, customer, chatId: (await chatOf(channel)).id };
  }

  async function reply(chatId: string, body: object): Promise<string> {
    const response = await sut.admin().post(`/chats/${chatId}/messages`).send(body).expect(202);
    answers.push(response.body);
    return response.body.id;
  }

  async function settled(messageId: string) {
    return eventually(async () => {
      const { rows } = await sut.db.query(
        `SELECT status, error, provider_message_id, attempts FROM messages WHERE id = $1`,
        [messageId],
      );
      return ['sent', 'failed'].includes(rows[0].status) && rows[0];
    });
  }

  const sendsTo = (method: string, chatId: number) =>
    telegram.callsTo(method).filter((call) => call.body.chat_id === chatId);

  it('registers a bot: getMe, then setWebhook to the channel URL with a fresh secret_token', async () => {
    const before = telegram.calls.length;

    const channel = await registerBot();

    const calls = telegram.calls.slice(before);
    expect(calls.map((call) => call.method)).toEqual(['getMe', 'setWebhook']);
    expect(calls[0].body).toEqual({});
    expect(calls[1].body).toEqual({
      url: `${PUBLIC_URL}/webhooks/${channel.id}`,
      secret_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      allowed_updates: ['message', 'edited_message'],
    });
    const view = await sut.admin().get(`/admin/channels/${channel.id}`).expect(200);
    answers.push(view.body);
    expect(view.body).toMatchObject({
      provider: 'telegram',
      source: '7012345678',
      webhookUrl: `${PUBLIC_URL}/webhooks/${channel.id}`,
      status: { active: true, connected: true, registered: true, error: null },
      settings: { token: '********', apiBaseUrl: telegram.url, webhookSecretToken: '********' },
    });
    const { rows } = await sut.db.query(
      `SELECT s.settings FROM msg_settings s JOIN channels c ON c.msg_settings_id = s.id WHERE c.id = $1`,
      [channel.id],
    );
    expect(JSON.stringify(rows[0].settings)).not.toContain(TOKEN);
    expect(JSON.stringify(rows[0].settings)).not.toContain(channel.secret);
  });

  it('refuses a token Telegram does not know, without setting a webhook or storing the channel', async () => {
    const unknownToken = '7012345678:AAHunknownTokenForE2eTests_0123456789abc';
    const webhooksBefore = telegram.callsTo('setWebhook').length;
    const channelsBefore = (await sut.db.query('SELECT count(*) FROM channels')).rows[0].count;

    const response = await sut
      .admin()
      .post('/admin/channels')
      .send({ name: 'Wrong bot', provider: 'telegram', settings: { token: unknownToken, apiBaseUrl: telegram.url } })
      .expect(400);

    answers.push(response.body);
    expect(response.body).toMatchObject({ code: 'REGISTRATION_REJECTED', field: 'settings' });
    expect(response.body.message).toContain('Unauthorized');
    expect(JSON.stringify(response.body)).not.toContain(unknownToken);
    expect(telegram.callsTo('setWebhook')).toHaveLength(webhooksBefore);
    expect((await sut.db.query('SELECT count(*) FROM channels')).rows[0].count).toBe(channelsBefore);
  });

  it('refuses updates without the matching X-Telegram-Bot-Api-Secret-Token (401, nothing stored)', async () => {
    const channel = await registerBot();
    const otherChannel = await registerBot();
    const update = messageUpdate(newCustomer(), 1, { text: 'forged' });

    for (const secret of [null, '', 'wrong-secret-token', otherChannel.secret, channel.secret.slice(0, -1)]) {
      const refused = await postUpdate(channel, update, secret).expect(401);
      expect(refused.body).toMatchObject({ code: 'INVALID_SIGNATURE' });
    }
    const { rows } = await sut.db.query('SELECT count(*) FROM messages WHERE channel_id = $1', [channel.id]);
    expect(Number(rows[0].count)).toBe(0);

    await postUpdate(channel, update).expect(200, { stored: 1, duplicates: 0, statusUpdates: 0 });
  });

  it('refuses the old secret once a settings update re-registered the webhook with a new one', async () => {
    const channel = await registerBot();

    const updated = await sut.admin().patch(`/admin/channels/${channel.id}`).send({ settings: {} }).expect(200);

    answers.push(updated.body);
    const newSecret = telegram.bodiesOf('setWebhook').at(-1)!.secret_token;
    expect(newSecret).not.toBe(channel.secret);
    const update = messageUpdate(newCustomer(), 1, { text: 'after the rotation' });
    await postUpdate(channel, update).expect(401);
    await postUpdate(channel, update, newSecret).expect(200, { stored: 1, duplicates: 0, statusUpdates: 0 });
  });

  it('stores every kind of message, named from the update, and downloads each file through getFile', async () => {
    const channel = await registerBot();
    const customer = newCustomer();
    const files = {
      'photo-1280': { path: 'photos/file_1.jpg', type: 'image/jpeg' },
      'doc-invoice': { path: 'documents/file_2.pdf', type: 'application/pdf' },
      'audio-hold': { path: 'music/file_3.mp3', type: 'audio/mpeg' },
      'voice-7s': { path: 'voice/file_4.oga', type: 'audio/ogg' },
      'video-12s': { path: 'videos/file_5.mp4', type: 'video/mp4' },
      'sticker-thumbs': { path: 'stickers/file_6.webp', type: 'image/webp' },
    };
    for (const [fileId, file] of Object.entries(files)) {
      telegram.addFile(fileId, file.path, Buffer.from(`bytes of ${fileId}`));
    }
    const contents = [
      { text: '/start hello 👋', entities: [{ offset: 0, length: 6, type: 'bot_command' }] },
      {
        photo: [
          { file_id: 'photo-90', file_unique_id: 'AQADq7sxG0xQcEtx', file_size: 1512, width: 90, height: 68 },
          { file_id: 'photo-1280', file_unique_id: 'AQADq7sxG0xQcEt-', file_size: 201944, width: 1280, height: 960 },
        ],
        caption: 'Damaged box on arrival',
      },
      {
        document: {
          file_name: 'invoice-2025-0612.pdf',
          mime_type: 'application/pdf',
          file_id: 'doc-invoice',
          file_unique_id: 'AgADm0kAAuYq8Us',
          file_size: 348211,
        },
        caption: 'Invoice attached',
      },
      {
        audio: {
          file_id: 'audio-hold',
          file_unique_id: 'AgADaudio',
          duration: 214,
          title: 'Hold music',
          file_name: 'hold-music.mp3',
          mime_type: 'audio/mpeg',
        },
      },
      { voice: { file_id: 'voice-7s', file_unique_id: 'AgADvoice', duration: 7, mime_type: 'audio/ogg' } },
      {
        video: {
          file_id: 'video-12s',
          file_unique_id: 'AgADvideo',
          width: 1280,
          height: 720,
          duration: 12,
          mime_type: 'video/mp4',
        },
      },
      {
        sticker: {
          file_id: 'sticker-thumbs',
          file_unique_id: 'AgADsticker',
          type: 'regular',
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
          emoji: '👍',
        },
      },
      { location: { latitude: 52.229676, longitude: 21.012229 } },
      { contact: { phone_number: '+48600100200', first_name: 'Jan', last_name: 'Nowak', user_id: 5987654321 } },
    ];

    for (const [index, content] of contents.entries()) {
      await postUpdate(channel, messageUpdate(customer, 4211 + index, content)).expect(200, {
        stored: 1,
        duplicates: 0,
        statusUpdates: 0,
      });
    }

    const chat = await chatOf(channel);
    expect(chat).toMatchObject({ externalChatId: String(customer.id), contact: { name: 'Anna Kowalska' } });
    const messages = await eventually(async () => {
      const items = await messagesOf(chat.id);
      const files = items.flatMap((message: { attachments: { status: string }[] }) => message.attachments);
      return files.length === 6 && files.every((file: { status: string }) => file.status === 'stored') && items;
    });
    const byId = (messageId: number) =>
      messages.find(
        (message: { providerMessageId: string }) => message.providerMessageId === `${customer.id}:${messageId}`,
      );
    expect(byId(4211)).toMatchObject({ text: '/start hello 👋', attachments: [], sentAt: '2025-06-20T09:39:05.000Z' });
    expect(byId(4212)).toMatchObject({
      text: 'Damaged box on arrival',
      attachments: [{ kind: 'image', mimeType: 'image/jpeg', fileName: 'file_1.jpg' }],
    });
    expect(byId(4213)).toMatchObject({
      text: 'Invoice attached',
      attachments: [{ kind: 'document', mimeType: 'application/pdf', fileName: 'invoice-2025-0612.pdf' }],
    });
    expect(byId(4214).attachments).toMatchObject([
      { kind: 'audio', mimeType: 'audio/mpeg', fileName: 'hold-music.mp3' },
    ]);
    expect(byId(4215).attachments).toMatchObject([{ kind: 'voice', mimeType: 'audio/ogg', fileName: 'file_4.oga' }]);
    expect(byId(4216).attachments).toMatchObject([{ kind: 'video', mimeType: 'video/mp4' }]);
    expect(byId(4217).attachments).toMatchObject([{ kind: 'sticker', mimeType: 'image/webp' }]);
    expect(byId(4218)).toMatchObject({
      text: 'Location: 52.229676, 21.012229 https://www.openstreetmap.org/?mlat=52.229676&mlon=21.012229',
      attachments: [],
    });
    expect(byId(4219)).toMatchObject({ text: 'Contact: Jan Nowak, +48600100200', attachments: [] });

    const [photo] = byId(4212).attachments;
    const photoBytes = Buffer.from('bytes of photo-1280');
    expect(photo).toMatchObject({
      size: photoBytes.length,
      sha256: createHash('sha256').update(photoBytes).digest('hex'),
      url: `/files/${photo.id}`,
    });
    const download = await bytesOf(photo.url, ADMIN_TOKEN).expect(200);
    expect(download.headers['content-type']).toBe('image/jpeg');
    expect(Buffer.compare(download.body, photoBytes)).toBe(0);
    expect(telegram.bodiesOf('getFile')).toContainEqual({ file_id: 'photo-1280' });
    expect(telegram.bodiesOf('getFile')).not.toContainEqual({ file_id: 'photo-90' });
    expect(telegram.downloads).toEqual(expect.arrayContaining(Object.values(files).map((file) => file.path)));
  });

  it('replaces the text of an edited message instead of storing another one', async () => {
    const channel = await registerBot();
    const customer = newCustomer();
    await postUpdate(channel, messageUpdate(customer, 4211, { text: '/start hello' })).expect(200);

    await postUpdate(channel, {
      update_id: ++updateId,
      edited_message: {
        message_id: 4211,
        from: customer.from,
        chat: customer.chat,
        date: 1750412345,
        edit_date: 1750412511,
        text: '/start hello again',
      },
    }).expect(200);

    const { rows } = await sut.db.query(
      `SELECT text, provider_message_id, edited_at FROM messages WHERE channel_id = $1`,
      [channel.id],
    );
    expect(rows).toEqual([
      {
        text: '/start hello again',
        provider_message_id: `${customer.id}:4211`,
        edited_at: new Date(1750412511 * 1000),
      },
    ]);
  });

  it('keeps messages with the same message_id in different chats apart', async () => {
    const channel = await registerBot();

    await postUpdate(channel, messageUpdate(newCustomer(), 1, { text: 'first customer' })).expect(200);
    await postUpdate(channel, messageUpdate(newCustomer(), 1, { text: 'second customer' })).expect(200, {
      stored: 1,
      duplicates: 0,
      statusUpdates: 0,
    });
  });

  it('stores an update delivered twice once', async () => {
    const channel = await registerBot();
    const update = messageUpdate(newCustomer(), 4211, { text: 'sent once, delivered twice' });

    await postUpdate(channel, update).expect(200, { stored: 1, duplicates: 0, statusUpdates: 0 });
    await postUpdate(channel, update).expect(200, { stored: 0, duplicates: 1, statusUpdates: 0 });

    const { rows } = await sut.db.query('SELECT count(*) FROM messages WHERE channel_id = $1', [channel.id]);
    expect(Number(rows[0].count)).toBe(1);
  });

  it('acknowledges updates it does not handle (200, nothing stored) so Telegram does not resend them', async () => {
    const channel = await registerBot();
    const customer = newCustomer();

    await postUpdate(channel, {
      update_id: ++updateId,
      callback_query: {
        id: '2200840712345678901',
        from: customer.from,
        chat_instance: '-68273550123',
        data: 'csat:yes',
      },
    }).expect(200, { stored: 0, duplicates: 0, statusUpdates: 0 });
    await postUpdate(channel, messageUpdate(customer, 9, { new_chat_title: 'Renamed' })).expect(200, {
      stored: 0,
      duplicates: 0,
      statusUpdates: 0,
    });
    const malformed = await postUpdate(channel, { update_id: 'not a number' }).expect(400);
    expect(malformed.body).toMatchObject({ code: 'INVALID_PAYLOAD', field: 'update_id' });
  });

  it('fetches the profile photo with getUserProfilePhotos and serves it at /contacts/:id/avatar', async () => {
    const channel = await registerBot();
    const customer = newCustomer();
    const picture = Buffer.from('jpeg bytes of Anna');
    telegram.setProfilePhotos(customer.id, [
      [
        { file_id: 'avatar-160', file_unique_id: 'AQADu6gxG_a1', file_size: 7011, width: 160, height: 160 },
        { file_id: 'avatar-640', file_unique_id: 'AQADu6gxG_a3', file_size: 52333, width: 640, height: 640 },
      ],
    ]);
    telegram.addFile('avatar-640', 'profile_photos/file_9.jpg', picture);

    await postUpdate(channel, messageUpdate(customer, 1, { text: 'Hi' })).expect(200);

    const chat = await eventually(async () => {
      const found = await chatOf(channel);
      return found.contact.avatarUrl !== null && found;
    });
    expect(chat.contact).toEqual({
      id: chat.contact.id,
      name: 'Anna Kowalska',
      avatarUrl: `/contacts/${chat.contact.id}/avatar`,
    });
    expect(telegram.bodiesOf('getUserProfilePhotos')).toContainEqual({ user_id: customer.id, limit: 1 });
    expect(telegram.bodiesOf('getFile')).toContainEqual({ file_id: 'avatar-640' });
    const byAdmin = await bytesOf(chat.contact.avatarUrl, ADMIN_TOKEN).expect(200);
    expect(byAdmin.headers['content-type']).toBe('image/jpeg');
    expect(Buffer.compare(byAdmin.body, picture)).toBe(0);
    const operator = await createOperator(sut, 'Olga');
    const byOperator = await bytesOf(chat.contact.avatarUrl, operator.token).expect(200);
    expect(Buffer.compare(byOperator.body, picture)).toBe(0);
    await bytesOf(chat.contact.avatarUrl).expect(401);
  });

  it('delivers a reply with sendMessage and records `<chat id>:<message id>`', async () => {
    const { chatId, customer } = await openChat();

    const messageId = await reply(chatId, { text: 'Hi Anna! Your ticket #8812 is open.', clientMessageId: 'r-1' });

    const message = await settled(messageId);
    const [sent] = sendsTo('sendMessage', customer.id);
    expect(sent.body).toEqual({ chat_id: customer.id, text: 'Hi Anna! Your ticket #8812 is open.' });
    expect(message).toMatchObject({ status: 'sent', attempts: 1, error: null });
    expect(message.provider_message_id).toMatch(new RegExp(`^${customer.id}:\\d+$`));
  });

  it('sends one picture by URL with sendPhoto, the text as its caption', async () => {
    const { chatId, customer } = await openChat();

    const messageId = await reply(chatId, {
      text: 'Return label',
      clientMessageId: 'p-1',
      attachments: [{ url: 'https://cdn.example.com/tickets/8812/label.jpg', type: 'image' }],
    });

    expect(await settled(messageId)).toMatchObject({ status: 'sent' });
    expect(sendsTo('sendPhoto', customer.id).map((call) => call.body)).toEqual([
      { chat_id: customer.id, photo: 'https://cdn.example.com/tickets/8812/label.jpg', caption: 'Return label' },
    ]);
    expect(sendsTo('sendMessage', customer.id)).toEqual([]);
  });

  it('waits retry_after seconds on a 429, then delivers', async () => {
    const { chatId, customer } = await openChat();
    telegram.failNext('sendMessage', {
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });

    const messageId = await reply(chatId, { text: 'patience', clientMessageId: 'rl-1' });

    expect(await settled(messageId)).toMatchObject({ status: 'sent', attempts: 2 });
    const [limited, delivered] = sendsTo('sendMessage', customer.id);
    expect(delivered.receivedAt - limited.receivedAt).toBeGreaterThanOrEqual(1000);
    expect(delivered.body).toEqual(limited.body);
  });

  it('sends several attachments as separate messages, and a 429 on one part does not resend the others', async () => {
    const { chatId, customer } = await openChat();
    telegram.failNext('sendPhoto', {
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });

    const messageId = await reply(chatId, {
      text: 'Your documents',
      clientMessageId: 'multi-1',
      attachments: [
        { url: 'https://cdn.example.com/label.jpg', type: 'image' },
        { url: 'https://cdn.example.com/invoice.pdf', type: 'document', fileName: 'invoice.pdf' },
      ],
    });

    const message = await settled(messageId);
    expect(message).toMatchObject({ status: 'sent', attempts: 2 });
    expect(sendsTo('sendMessage', customer.id).map((call) => call.body)).toEqual([
      { chat_id: customer.id, text: 'Your documents' },
    ]);
    expect(sendsTo('sendPhoto', customer.id)).toHaveLength(2);
    expect(sendsTo('sendDocument', customer.id).map((call) => call.body)).toEqual([
      { chat_id: customer.id, document: 'https://cdn.example.com/invoice.pdf' },
    ]);
    expect(message.provider_message_id).toMatch(new RegExp(`^${customer.id}:\\d+$`));
  });

  it("fails the reply with Telegram's description when the user blocked the bot, without retrying", async () => {
    const { channel, chatId, customer } = await openChat();
    telegram.blockBotIn(customer.id);

    const messageId = await reply(chatId, { text: 'are you there?', clientMessageId: 'b-1' });

    expect(await settled(messageId)).toMatchObject({
      status: 'failed',
      error: 'Forbidden: bot was blocked by the user',
      attempts: 1,
    });
    const page = await messagesOf(chatId);
    expect(page[0]).toMatchObject({ status: 'failed', error: 'Forbidden: bot was blocked by the user' });
    const view = await sut.admin().get(`/admin/channels/${channel.id}`).expect(200);
    expect(view.body.status).toMatchObject({ connected: true, error: null });
  });

  it('marks the channel in error when the token is revoked, saying so without the token', async () => {
    const revokedToken = '7012345678:AAHtokenRevokedDuringE2eTests_0123456789';
    const ownApi = await TelegramFakeApi.start(revokedToken);
    try {
      const channel = await registerBot(ownApi, revokedToken);
      ownApi.revokeToken();

      const check = await sut.admin().post(`/admin/channels/${channel.id}/test`).expect(200);

      answers.push(check.body);
      expect(check.body).toEqual({
        ok: false,
        error: { code: 'AUTH_FAILED', message: 'Telegram refused the bot token (Unauthorized); check the token' },
      });
      const view = await sut.admin().get(`/admin/channels/${channel.id}`).expect(200);
      answers.push(view.body);
      expect(view.body.status).toMatchObject({ connected: false, error: expect.stringContaining('Unauthorized') });
      expect(JSON.stringify([check.body, view.body])).not.toContain(revokedToken);
    } finally {
      await ownApi.stop();
    }
  });

  it('never shows the bot token or a webhook secret in any API answer', async () => {
    const list = await sut.admin().get('/admin/channels').expect(200);
    const chats = await sut.admin().get('/chats').query({ limit: 100 }).expect(200);
    const providers = await sut.admin().get('/admin/providers').expect(200);
    answers.push(list.body, chats.body, providers.body);
    const secrets = telegram.bodiesOf('setWebhook').map((body) => body.secret_token as string);

    const seen = JSON.stringify(answers);

    expect(list.body.filter((channel: { provider: string }) => channel.provider === 'telegram').length).toBeGreaterThan(
      5,
    );
    expect(seen).not.toContain(TOKEN);
    expect(seen).not.toContain(TOKEN.split(':')[1]);
    for (const secret of secrets) expect(seen).not.toContain(secret);
    expect(seen).not.toContain('/file/bot');
  });
});
