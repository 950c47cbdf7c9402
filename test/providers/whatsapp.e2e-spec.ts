import request from 'supertest';
import { hmacSha256Signature } from '../../src/common/crypto/hmac-signature';
import { FakeWhatsAppApi, graphError, messagesChange, whatsAppWebhook } from '../fakes/whatsapp-api';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';

const ACCESS_TOKEN = 'EAAGm0PX4ZCpsBAFakeSystemUserToken0123456789';
const APP_SECRET = 'c0ffee0123456789abcdef0123456789';
const VERIFY_TOKEN = 'verify-me-please-42';
const PHONE_NUMBER_ID = '106540352242922';
const ANNA = '48601234567';

describe('WhatsApp Cloud API provider', () => {
  let sut: TestApp;
  let api: FakeWhatsAppApi;
  let wamids = 0;

  beforeAll(async () => {
    api = await FakeWhatsAppApi.start({
      accessToken: ACCESS_TOKEN,
      phoneNumberId: PHONE_NUMBER_ID,
      displayPhoneNumber: '+1 555-078-3881',
      verifiedName: 'Acme Parcels',
    });
    sut = await startTestApp({ PROVIDER_HTTP_TIMEOUT_MS: '1000', OUTBOUND_MAX_ATTEMPTS: '3' });
  });

  afterAll(async () => {
    await sut.close();
    await api.stop();
  });

  function registerChannel(settings: Record<string, unknown> = {}) {
    return sut
      .admin()
      .post('/admin/channels')
      .send({
        name: 'Acme WhatsApp',
        provider: 'whatsapp',
        settings: {
          accessToken: ACCESS_TOKEN,
          appSecret: APP_SECRET,
          verifyToken: VERIFY_TOKEN,
          phoneNumberId: PHONE_NUMBER_ID,
          apiBaseUrl: api.url,
          ...settings,
        },
      });
  }

  async function newChannel(): Promise<string> {
    return (await registerChannel().expect(201)).body.id;
  }

  /** POSTs the exact bytes Meta would, signed with `secret`. */
  function postWebhook(channelId: string, body: unknown, secret = APP_SECRET) {
    const raw = JSON.stringify(body);
    return request(sut.app.getHttpServer())
      .post(`/webhooks/${channelId}`)
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', hmacSha256Signature(raw, secret))
      .send(raw);
  }

  function customerMessage(content: Record<string, unknown>, from = ANNA) {
    return { from, id: `wamid.IN${++wamids}`, timestamp: '1750413600', ...content };
  }

  function fromCustomer(messages: Record<string, unknown>[], name = 'Anna Kowalska', waId = ANNA) {
    return whatsAppWebhook([
      messagesChange(PHONE_NUMBER_ID, { contacts: [{ profile: { name }, wa_id: waId }], messages }),
    ]);
  }

  function statuses(...items: Record<string, unknown>[]) {
    return whatsAppWebhook([
      messagesChange(PHONE_NUMBER_ID, {
        statuses: items.map((item) => ({ timestamp: '1750413800', recipient_id: ANNA, ...item })),
      }),
    ]);
  }

  const count = async (table: string, channelId: string) =>
    Number((await sut.db.query(`SELECT count(*) FROM ${table} WHERE channel_id = $1`, [channelId])).rows[0].count);

  async function chatOf(channelId: string, waId = ANNA): Promise<string> {
    const { rows } = await sut.db.query(`SELECT id FROM chats WHERE channel_id = $1 AND external_chat_id = $2`, [
      channelId,
      waId,
    ]);
    return rows[0].id;
  }

  /** A channel with a chat opened by a customer (Anna unless told), ready for replies. */
  async function openChat(waId = ANNA, name = 'Anna Kowalska'): Promise<{ channelId: string; chatId: string }> {
    const channelId = await newChannel();
    const hello = customerMessage({ type: 'text', text: { body: 'Hello?' } }, waId);
    await postWebhook(channelId, fromCustomer([hello], name, waId)).expect(200);
    return { channelId, chatId: await chatOf(channelId, waId) };
  }

  const reply = (chatId: string, body: Record<string, unknown>) =>
    sut.admin().post(`/chats/${chatId}/messages`).send(body).expect(202);

  async function settled(messageId: string) {
    return eventually(async () => {
      const { rows } = await sut.db.query(
        `SELECT status, error, provider_message_id, attempts FROM messages WHERE id = $1`,
        [messageId],
      );
      return ['sent', 'failed'].includes(rows[0].status) && rows[0];
    });
  }

  const sendsTo = (waId: string) => api.sends().filter((sent) => sent.json().to === `+${waId}`);

  describe('registration', () => {
    it('reads the phone number with the token, keeps its id as source and never answers a secret', async () => {
      const before = api.received('GET', api.phoneNumberPath).length;

      const response = await registerChannel().expect(201);

      expect(response.body).toMatchObject({
        provider: 'whatsapp',
        source: PHONE_NUMBER_ID,
        status: { active: true, connected: true, registered: true, error: null },
        webhookUrl: expect.stringMatching(new RegExp(`/webhooks/${response.body.id}$`)),
        settings: {
          accessToken: '********',
          appSecret: '********',
          verifyToken: '********',
          phoneNumberId: PHONE_NUMBER_ID,
          apiBaseUrl: api.url,
        },
      });
      const [lookup] = api.received('GET', api.phoneNumberPath).slice(before);
      expect(lookup.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
      expect(lookup.query.get('fields')).toBe('display_phone_number,verified_name');
      const stored = await sut.db.query(
        `SELECT s.settings::text AS settings FROM msg_settings s JOIN channels c ON c.msg_settings_id = s.id WHERE c.id = $1`,
        [response.body.id],
      );
      for (const secret of [ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN])
        expect(stored.rows[0].settings).not.toContain(secret);

      await sut.admin().post(`/admin/channels/${response.body.id}/test`).expect(200, { ok: true });
    });

    it('refuses a token Graph does not accept, without repeating it', async () => {
      const refused = await registerChannel({ accessToken: 'EAAWrongToken000000000000000' }).expect(400);

      expect(refused.body).toMatchObject({ code: 'REGISTRATION_REJECTED', field: 'settings' });
      expect(refused.body.message).toContain('Invalid OAuth access token');
      expect(JSON.stringify(refused.body)).not.toContain('EAAWrongToken');
    });

    it('names the bad setting', async () => {
      const bad = await registerChannel({ phoneNumberId: '+1 555 078 3881' }).expect(400);

      expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'settings.phoneNumberId' });
    });
  });

  describe('webhook verification and signatures', () => {
    it("answers Meta's GET with hub.challenge as plain text only when hub.verify_token matches", async () => {
      const channelId = await newChannel();
      const verify = (token: string) =>
        request(sut.app.getHttpServer())
          .get(`/webhooks/${channelId}`)
          .query({ 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': '1158201444' });

      const accepted = await verify(VERIFY_TOKEN).expect(200);
      expect(accepted.headers['content-type']).toMatch(/^text\/plain/);
      expect(accepted.text).toBe('1158201444');

      const refused = await verify('not-the-token').expect(401);
      expect(refused.body).toMatchObject({ code: 'INVALID_SIGNATURE' });
      expect(refused.text).not.toContain('1158201444');
    });

    it('refuses a POST signed with another secret, or not signed, with 401 and stores nothing', async () => {
      const channelId = await newChannel();
      const body = fromCustomer([customerMessage({ type: 'text', text: { body: 'forged' } })]);

      const forged = await postWebhook(channelId, body, 'another-app-secret-0123456789ab').expect(401);
      expect(forged.body).toMatchObject({ code: 'INVALID_SIGNATURE' });
      await request(sut.app.getHttpServer())
        .post(`/webhooks/${channelId}`)
        .set('content-type', 'application/json')
        .send(JSON.stringify(body))
        .expect(401);

      expect(await count('messages', channelId)).toBe(0);
      expect(await count('chats', channelId)).toBe(0);
    });
  });

  describe('inbound', () => {
    it('stores a text message in a chat per wa_id, the contact named from contacts[].profile.name', async () => {
      const channelId = await newChannel();
      const message = customerMessage({ type: 'text', text: { body: 'Hi, is my parcel 8812 on the way?' } });

      await postWebhook(channelId, fromCustomer([message])).expect(200, { stored: 1, duplicates: 0, statusUpdates: 0 });

      const chats = await sut.admin().get('/chats').query({ channelId }).expect(200);
      expect(chats.body.items).toEqual([
        expect.objectContaining({
          externalChatId: ANNA,
          contact: expect.objectContaining({ name: 'Anna Kowalska' }),
          lastMessage: expect.objectContaining({ direction: 'in', text: 'Hi, is my parcel 8812 on the way?' }),
        }),
      ]);
      const page = await sut.admin().get(`/chats/${chats.body.items[0].id}/messages`).expect(200);
      expect(page.body.items[0]).toMatchObject({
        providerMessageId: message.id,
        sentAt: '2025-06-20T10:00:00.000Z',
        attachments: [],
      });
      // No profile API: the profile job leaves the name from the webhook as it is.
      await eventually(async () => {
        const { rows } = await sut.db.query(`SELECT count(*) FROM jobs WHERE payload->>'channelId' = $1`, [channelId]);
        return Number(rows[0].count) === 0;
      });
      const contact = await sut.db.query(
        `SELECT c.name, c.name_placeholder FROM contacts c JOIN contact_identities i ON i.contact_id = c.id WHERE i.channel_id = $1`,
        [channelId],
      );
      expect(contact.rows).toEqual([{ name: 'Anna Kowalska', name_placeholder: false }]);
    });

    it('stores image, document, voice, video and location; media is fetched in two steps with the token', async () => {
      const photo = Buffer.from('ffd8ffe000104a46494600-crushed-box');
      const receipt = Buffer.from('%PDF-1.7 receipt 8812');
      const voice = Buffer.from('OggS-voice-note');
      const video = Buffer.from('ftypmp42-unboxing');
      api.addMedia('1048227513347285', { content: photo, mimeType: 'image/jpeg' });
      api.addMedia('622684793477190', { content: receipt, mimeType: 'application/pdf' });
      api.addMedia('1908647269898588', { content: voice, mimeType: 'audio/ogg' });
      api.addMedia('777888999000111', { content: video, mimeType: 'video/mp4' });
      const channelId = await newChannel();
      const messages = [
        customerMessage({
          type: 'image',
          image: {
            caption: 'Box was crushed',
            mime_type: 'image/jpeg',
            sha256: 'q1Wm0k7yYp3bQ9v2s8ZtR4uH6xN1cE5fG7jL0aD2oK8=',
            id: '1048227513347285',
          },
        }),
        customerMessage({
          type: 'document',
          document: {
            caption: 'My receipt',
            filename: 'receipt-8812.pdf',
            mime_type: 'application/pdf',
            sha256: 'V2x9Lq8pR0sT4uW6yZ1bC3dE5fG7hJ9kM2nP4qS6tU8=',
            id: '622684793477190',
          },
        }),
        customerMessage({
          type: 'audio',
          audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'wq9X', id: '1908647269898588', voice: true },
        }),
        customerMessage({
          type: 'video',
          video: { caption: 'Unboxing', mime_type: 'video/mp4', sha256: 'v1', id: '777888999000111' },
        }),
        customerMessage({
          type: 'location',
          location: {
            address: '101 Forest Ave, Palo Alto, CA 94301',
            latitude: 37.44216251868683,
            longitude: -122.16153582049394,
            name: 'Philz Coffee',
          },
        }),
      ];

      await postWebhook(channelId, fromCustomer(messages)).expect(200, { stored: 5, duplicates: 0, statusUpdates: 0 });

      const chatId = await chatOf(channelId);
      const items = await eventually(async () => {
        const page = await sut.admin().get(`/chats/${chatId}/messages`).expect(200);
        const files = page.body.items.flatMap((item: { attachments: unknown[] }) => item.attachments);
        return (
          files.length === 4 && files.every((file: { status: string }) => file.status === 'stored') && page.body.items
        );
      });
      const byId = new Map(items.map((item: { providerMessageId: string }) => [item.providerMessageId, item]));
      expect(byId.get(messages[0].id)).toMatchObject({
        text: 'Box was crushed',
        attachments: [{ kind: 'image', mimeType: 'image/jpeg', size: photo.length }],
      });
      expect(byId.get(messages[1].id)).toMatchObject({
        text: 'My receipt',
        attachments: [{ kind: 'document', fileName: 'receipt-8812.pdf', mimeType: 'application/pdf' }],
      });
      expect(byId.get(messages[2].id)).toMatchObject({
        text: null,
        attachments: [{ kind: 'voice', mimeType: 'audio/ogg' }],
      });
      expect(byId.get(messages[3].id)).toMatchObject({ text: 'Unboxing', attachments: [{ kind: 'video' }] });
      expect(byId.get(messages[4].id)).toMatchObject({
        text: 'Location: Philz Coffee, 101 Forest Ave, Palo Alto, CA 94301 (37.44216251868683, -122.16153582049394)',
        attachments: [],
      });

      for (const [messageIndex, bytes] of [
        [0, photo],
        [1, receipt],
      ] as const) {
        const { url } = (byId.get(messages[messageIndex].id) as { attachments: { url: string }[] }).attachments[0];
        const download = await sut
          .admin()
          .get(url)
          .buffer(true)
          .parse((res, callback) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => callback(null, Buffer.concat(chunks)));
          })
          .expect(200);
        expect(Buffer.compare(download.body, bytes)).toBe(0);
      }

      for (const mediaId of ['1048227513347285', '622684793477190']) {
        const [lookup] = api.received('GET', api.mediaPath(mediaId));
        expect(lookup.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
        expect(lookup.query.get('phone_number_id')).toBe(PHONE_NUMBER_ID);
        const download = api.downloads().find((sent) => sent.query.get('mid') === mediaId);
        expect(download?.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
      }
    });

    it('stores every message of a batch of several entries and changes, ignoring other phone numbers', async () => {
      const channelId = await newChannel();
      const jan = '48700111222';
      const body = whatsAppWebhook(
        [
          messagesChange(PHONE_NUMBER_ID, {
            contacts: [{ profile: { name: 'Anna Kowalska' }, wa_id: ANNA }],
            messages: [
              customerMessage({ type: 'text', text: { body: 'one' } }),
              customerMessage({ type: 'text', text: { body: 'two' } }),
            ],
          }),
          messagesChange('999999999999999', {
            contacts: [{ profile: { name: 'Not ours' }, wa_id: '15550002222' }],
            messages: [customerMessage({ type: 'text', text: { body: 'other number' } }, '15550002222')],
          }),
        ],
        [
          messagesChange(PHONE_NUMBER_ID, {
            contacts: [{ profile: { name: 'Jan Nowak' }, wa_id: jan }],
            messages: [customerMessage({ type: 'text', text: { body: 'three' } }, jan)],
          }),
        ],
      );

      await postWebhook(channelId, body).expect(200, { stored: 3, duplicates: 0, statusUpdates: 0 });

      const { rows } = await sut.db.query(
        `SELECT ch.external_chat_id, c.name, count(m.id)::int AS messages FROM chats ch
           JOIN contacts c ON c.id = ch.contact_id JOIN messages m ON m.chat_id = ch.id
          WHERE ch.channel_id = $1 GROUP BY 1, 2 ORDER BY 1`,
        [channelId],
      );
      expect(rows).toEqual([
        { external_chat_id: ANNA, name: 'Anna Kowalska', messages: 2 },
        { external_chat_id: jan, name: 'Jan Nowak', messages: 1 },
      ]);
    });

    it('accepts, and stores nothing from, a webhook of another phone number', async () => {
      const channelId = await newChannel();
      const body = whatsAppWebhook([
        messagesChange('999999999999999', {
          contacts: [{ profile: { name: 'Not ours' }, wa_id: ANNA }],
          messages: [customerMessage({ type: 'text', text: { body: 'wrong number' } })],
        }),
      ]);

      await postWebhook(channelId, body).expect(200, { stored: 0, duplicates: 0, statusUpdates: 0 });
      expect(await count('messages', channelId)).toBe(0);
    });

    it('ignores a wamid delivered twice', async () => {
      const channelId = await newChannel();
      const body = fromCustomer([customerMessage({ type: 'text', text: { body: 'once' } })]);

      await postWebhook(channelId, body).expect(200, { stored: 1, duplicates: 0, statusUpdates: 0 });
      await postWebhook(channelId, body).expect(200, { stored: 0, duplicates: 1, statusUpdates: 0 });

      expect(await count('messages', channelId)).toBe(1);
    });
  });

  describe('replies and statuses', () => {
    it('sends a reply with the exact request, then moves it sent → delivered → read and never back', async () => {
      const { channelId, chatId } = await openChat();
      const accepted = await reply(chatId, {
        text: 'Your parcel 8812 left our warehouse today.',
        clientMessageId: 'r-1',
      });

      const message = await settled(accepted.body.id);
      expect(message).toMatchObject({ status: 'sent', attempts: 1 });
      const [sent] = api
        .sends()
        .filter((request) => request.json().text?.body === 'Your parcel 8812 left our warehouse today.');
      expect(sent.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
      expect(sent.headers['content-type']).toMatch(/^application\/json/);
      expect(sent.json()).toEqual({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: `+${ANNA}`,
        type: 'text',
        text: { body: 'Your parcel 8812 left our warehouse today.' },
      });
      const wamid = message.provider_message_id;
      expect(wamid).toMatch(/^wamid\.FAKE/);

      const statusOf = async () =>
        (await sut.db.query(`SELECT status FROM messages WHERE id = $1`, [accepted.body.id])).rows[0].status;
      await postWebhook(channelId, statuses({ id: wamid, status: 'sent' })).expect(200, {
        stored: 0,
        duplicates: 0,
        statusUpdates: 0,
      });
      await postWebhook(channelId, statuses({ id: wamid, status: 'delivered' })).expect(200, {
        stored: 0,
        duplicates: 0,
        statusUpdates: 1,
      });
      expect(await statusOf()).toBe('delivered');
      await postWebhook(channelId, statuses({ id: wamid, status: 'read' })).expect(200, {
        stored: 0,
        duplicates: 0,
        statusUpdates: 1,
      });
      await postWebhook(channelId, statuses({ id: wamid, status: 'delivered' })).expect(200, {
        stored: 0,
        duplicates: 0,
        statusUpdates: 0,
      });
      expect(await statusOf()).toBe('read');
    });

    it('sends an attachment by link with the text as caption', async () => {
      const { chatId } = await openChat();
      const accepted = await reply(chatId, {
        text: 'Your invoice',
        clientMessageId: 'doc-1',
        attachments: [
          { url: 'https://files.example.com/invoices/8812.pdf', type: 'document', fileName: 'invoice-8812.pdf' },
        ],
      });

      expect(await settled(accepted.body.id)).toMatchObject({ status: 'sent' });
      const sent = api.sends().find((request) => request.json().document?.filename === 'invoice-8812.pdf');
      expect(sent?.json()).toEqual({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: `+${ANNA}`,
        type: 'document',
        document: {
          link: 'https://files.example.com/invoices/8812.pdf',
          caption: 'Your invoice',
          filename: 'invoice-8812.pdf',
        },
      });
    });

    it("fails a message on a failed status, with WhatsApp's reason", async () => {
      const { channelId, chatId } = await openChat();
      const accepted = await reply(chatId, { text: 'Are you there?', clientMessageId: 'f-1' });
      const { provider_message_id: wamid } = await settled(accepted.body.id);

      await postWebhook(
        channelId,
        statuses({
          id: wamid,
          status: 'failed',
          errors: [
            {
              code: 131026,
              title: 'Message undeliverable',
              message: 'Message undeliverable',
              error_data: { details: 'Message Undeliverable.' },
            },
          ],
        }),
      ).expect(200, { stored: 0, duplicates: 0, statusUpdates: 1 });

      const page = await sut.admin().get(`/chats/${chatId}/messages`).expect(200);
      expect(page.body.items.find((item: { id: string }) => item.id === accepted.body.id)).toMatchObject({
        status: 'failed',
        error: 'Message undeliverable: Message Undeliverable. (Graph error 131026)',
      });
    });

    it('fails a reply outside the 24-hour window (131047) at once, saying a template is needed', async () => {
      const { chatId } = await openChat();
      api.queueSendAnswers(
        graphError(131047, '(#131047) Re-engagement message', {
          details:
            'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
        }),
      );

      const accepted = await reply(chatId, { text: 'Following up on 8812', clientMessageId: 'w-1' });

      expect(await settled(accepted.body.id)).toEqual({
        status: 'failed',
        attempts: 1,
        provider_message_id: null,
        error:
          'outside the 24-hour customer service window: send a template: (#131047) Re-engagement message: Message failed to send because more than 24 hours have passed since the customer last replied to this number. (Graph error 131047, fbtrace_id Fake-trace-131047)',
      });
    });

    it('retries a throughput limit (130429) after a wait, then delivers once', async () => {
      const customer = '48600999888';
      const { chatId } = await openChat(customer, 'Ola Nowak');
      api.queueSendAnswers(
        graphError(130429, '(#130429) Rate limit hit', { details: 'Cloud API message throughput has been reached.' }),
      );

      const accepted = await reply(chatId, { text: 'Thanks for waiting', clientMessageId: 'rl-1' });

      expect(await settled(accepted.body.id)).toMatchObject({ status: 'sent', attempts: 2, error: null });
      const [limited, delivered] = sendsTo(customer);
      expect(sendsTo(customer)).toHaveLength(2);
      expect(delivered.json()).toEqual(limited.json());
      expect(delivered.receivedAt - limited.receivedAt).toBeGreaterThanOrEqual(500);
    });

    it('puts the channel in error and keeps the reply queued when the token expired (190), never showing the token', async () => {
      const { channelId, chatId } = await openChat();
      api.queueSendAnswers(
        graphError(190, 'Error validating access token: Session has expired on Friday, 20-Jun-25.', { status: 401 }),
      );

      const accepted = await reply(chatId, { text: 'Hello again', clientMessageId: 'a-1' });

      const channel = await eventually(async () => {
        const view = await sut.admin().get(`/admin/channels/${channelId}`).expect(200);
        return view.body.status.error !== null && view;
      });
      const parked = await sut.db.query(`SELECT status, error, attempts FROM messages WHERE id = $1`, [
        accepted.body.id,
      ]);
      expect(parked.rows[0]).toMatchObject({
        status: 'queued',
        attempts: 0,
        error: expect.stringContaining('Session has expired'),
      });
      expect(channel.body.status).toMatchObject({
        connected: false,
        error: expect.stringContaining('Session has expired'),
      });
      expect(JSON.stringify(channel.body)).not.toContain(ACCESS_TOKEN);
    });
  });

  it('calls the Graph version set in apiVersion instead of the default', async () => {
    await registerChannel({ apiVersion: 'v99.0' }).expect(400);

    expect(api.received('GET', `/v99.0/${PHONE_NUMBER_ID}`)).toHaveLength(1);
  });
});
