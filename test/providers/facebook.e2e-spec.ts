import { createHmac } from 'node:crypto';
import request from 'supertest';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';
import { FacebookFakeApi, GRAPH_ERRORS, GRAPH_VERSION, metaJson } from '../fakes/facebook-api';

const PAGE_TOKEN = 'EAAGm0PX4ZCpsBAKx7rZCfakePageAccessToken0123456789';
const APP_SECRET = 'test_app_secret_0123456789abcdef';
const VERIFY_TOKEN = 'verify-7f3a9c2e41';
const SECRETS = [PAGE_TOKEN, APP_SECRET, VERIFY_TOKEN];
const PAGE_ID = '106540352242922';

/** X-Hub-Signature-256 as Meta computes it, written independently of the code under test. */
function metaSignature(body: string, secret = APP_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

function pageBody(...entries: unknown[]): string {
  return metaJson({ object: 'page', entry: entries });
}

function entry(messaging: unknown[], pageId = PAGE_ID): Record<string, unknown> {
  return { id: pageId, time: Date.now(), messaging };
}

function fromCustomer(psid: string, timestamp: number, event: Record<string, unknown>): Record<string, unknown> {
  return { sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp, ...event };
}

describe('Facebook Messenger provider (e2e, fake Graph API)', () => {
  let sut: TestApp;
  let graph: FacebookFakeApi;
  let psidCounter = 0;

  beforeAll(async () => {
    graph = await FacebookFakeApi.start(PAGE_TOKEN);
    sut = await startTestApp({ PROVIDER_HTTP_TIMEOUT_MS: '1000', OUTBOUND_MAX_ATTEMPTS: '3' });
  });

  afterAll(async () => {
    await sut.close();
    await graph.stop();
  });

  const server = () => sut.app.getHttpServer();

  /** A new customer the Page knows, with a fresh PSID. */
  function newCustomer(firstName = 'Cara', lastName = 'Lind', picture?: Buffer): string {
    const psid = `73000000000${String(++psidCounter).padStart(5, '0')}`;
    graph.addUser(psid, firstName, lastName, picture);
    return psid;
  }

  function registerChannel(settings: Record<string, unknown> = {}) {
    return sut
      .admin()
      .post('/admin/channels')
      .send({
        name: 'Acme Messenger',
        provider: 'facebook',
        settings: {
          pageAccessToken: PAGE_TOKEN,
          appSecret: APP_SECRET,
          verifyToken: VERIFY_TOKEN,
          apiBaseUrl: graph.url,
          ...settings,
        },
      });
  }

  async function newChannel(): Promise<string> {
    const response = await registerChannel().expect(201);
    return response.body.id;
  }

  function postWebhook(channelId: string, body: string, signature: string | null = metaSignature(body)) {
    const call = request(server()).post(`/webhooks/${channelId}`).set('content-type', 'application/json');
    return (signature === null ? call : call.set('x-hub-signature-256', signature)).send(body);
  }

  const count = async (sql: string, params: unknown[]) => Number((await sut.db.query(sql, params)).rows[0].count);
  const messageCount = (channelId: string) => count(`SELECT count(*) FROM messages WHERE channel_id = $1`, [channelId]);

  /** A chat opened by the customer's message. */
  async function openChat(channelId: string, psid: string): Promise<string> {
    const body = pageBody(entry([fromCustomer(psid, Date.now(), { message: { mid: `m_open-${psid}`, text: 'Hi' } })]));
    await postWebhook(channelId, body).expect(200);
    const { rows } = await sut.db.query(`SELECT id FROM chats WHERE channel_id = $1 AND external_chat_id = $2`, [
      channelId,
      psid,
    ]);
    return rows[0].id;
  }

  async function reply(chatId: string, body: Record<string, unknown>): Promise<string> {
    const response = await sut.admin().post(`/chats/${chatId}/messages`).send(body).expect(202);
    return response.body.id;
  }

  async function settled(messageId: string) {
    return eventually(async () => {
      const { rows } = await sut.db.query(
        `SELECT status, error, provider_message_id, attempts, sent_at FROM messages WHERE id = $1`,
        [messageId],
      );
      return ['sent', 'failed'].includes(rows[0].status) && rows[0];
    });
  }

  const statusOf = async (messageId: string) =>
    (await sut.db.query(`SELECT status FROM messages WHERE id = $1`, [messageId])).rows[0].status;

  describe('registration', () => {
    it('checks the Page token with GET /me, subscribes the app to the Page, and keeps the secrets hidden', async () => {
      const before = graph.calls.length;
      const response = await registerChannel().expect(201);

      expect(response.body).toMatchObject({
        provider: 'facebook',
        source: PAGE_ID,
        status: { active: true, connected: true, registered: true, error: null },
        webhookUrl: expect.stringMatching(new RegExp(`/webhooks/${response.body.id}$`)),
        settings: {
          pageAccessToken: '********',
          appSecret: '********',
          verifyToken: '********',
          apiBaseUrl: graph.url,
          apiVersion: GRAPH_VERSION,
        },
      });
      const [me, subscribe, ...rest] = graph.calls.slice(before);
      expect(rest).toEqual([]);
      expect(me).toMatchObject({ method: 'GET', path: `/${GRAPH_VERSION}/me` });
      expect(me.query.get('fields')).toBe('id,name');
      expect(me.headers.authorization).toBe(`Bearer ${PAGE_TOKEN}`);
      expect(subscribe).toMatchObject({ method: 'POST', path: `/${GRAPH_VERSION}/${PAGE_ID}/subscribed_apps` });
      expect(subscribe.query.get('subscribed_fields')?.split(',')).toEqual(
        expect.arrayContaining(['messages', 'message_deliveries', 'message_reads', 'message_echoes']),
      );
      expect(subscribe.headers.authorization).toBe(`Bearer ${PAGE_TOKEN}`);
      for (const call of graph.calls) expect(call.path + call.query.toString()).not.toContain(PAGE_TOKEN);

      const stored = JSON.stringify((await sut.db.query(`SELECT settings FROM msg_settings`)).rows);
      for (const secret of SECRETS) {
        expect(JSON.stringify(response.body)).not.toContain(secret);
        expect(stored).not.toContain(secret);
      }
      await sut.admin().post(`/admin/channels/${response.body.id}/test`).expect(200, { ok: true });
    });

    it("refuses a token Meta does not accept with Meta's reason, never echoing the token", async () => {
      const response = await registerChannel({ pageAccessToken: 'EAAGwrongToken0000000000000000' }).expect(400);

      expect(response.body).toMatchObject({ code: 'REGISTRATION_REJECTED', field: 'settings' });
      expect(response.body.message).toContain('Invalid OAuth access token');
      expect(response.body.message).toContain('Graph error 190');
      expect(response.body.message).not.toContain('EAAGwrongToken');
    });

    it('refuses settings without the app secret or verify token before calling Meta', async () => {
      const before = graph.calls.length;
      const response = await registerChannel({ appSecret: undefined }).expect(400);

      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'settings.appSecret' });
      await registerChannel({ verifyToken: 'short' }).expect(400);
      expect(graph.calls.length).toBe(before);
    });
  });

  describe('GET /webhooks/:channelId (hub.challenge)', () => {
    it('echoes hub.challenge as plain text when hub.verify_token matches', async () => {
      const channelId = await newChannel();
      const response = await request(server())
        .get(`/webhooks/${channelId}`)
        .query({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' })
        .expect(200);

      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      expect(response.text).toBe('1158201444');
    });

    it.each([
      ['a wrong verify token', { 'hub.mode': 'subscribe', 'hub.verify_token': 'guessed-token', 'hub.challenge': '42' }],
      ['no verify token', { 'hub.mode': 'subscribe', 'hub.challenge': '42' }],
    ])('refuses %s with 401 and does not echo the challenge', async (_case, query) => {
      const channelId = await newChannel();
      const response = await request(server()).get(`/webhooks/${channelId}`).query(query).expect(401);

      expect(response.body).toMatchObject({ code: 'INVALID_SIGNATURE' });
      expect(response.text).not.toBe('42');
    });
  });

  describe('POST /webhooks/:channelId signature', () => {
    // The vector computed in PROVIDERS.md §2.3 with Python's hmac: exact bytes, exact signature.
    const VECTOR_BODY =
      '{"object":"page","entry":[{"id":"106540352242922","time":1750000000123,"messaging":[{"sender":{"id":"6543210987654321"},"recipient":{"id":"106540352242922"},"timestamp":1750000000001,"message":{"mid":"m_test-mid-0001","text":"hello"}}]}]}';
    const VECTOR_SIGNATURE = 'sha256=1f38f8ae2f1f6883f4a16f29d8b20b6ecf27ecb5e89234e13e5e71f223822cd4';

    it('accepts the documented test vector', async () => {
      const channelId = await newChannel();
      await postWebhook(channelId, VECTOR_BODY, VECTOR_SIGNATURE).expect(200, {
        stored: 1,
        duplicates: 0,
        statusUpdates: 0,
      });
    });

    it.each([
      ['a signature made with another secret', metaSignature(VECTOR_BODY, 'another_app_secret_0123456789')],
      ['no signature', null],
      ['the legacy sha1 header value', `sha1=${createHmac('sha1', APP_SECRET).update(VECTOR_BODY).digest('hex')}`],
      ['the signature of another body', metaSignature(VECTOR_BODY.replace('hello', 'hellO'))],
    ])('refuses %s with 401 and stores nothing', async (_case, signature) => {
      const channelId = await newChannel();
      const response = await postWebhook(channelId, VECTOR_BODY, signature).expect(401);

      expect(response.body).toMatchObject({ code: 'INVALID_SIGNATURE' });
      expect(await messageCount(channelId)).toBe(0);
    });

    it('checks the signature over the raw \\u-escaped bytes, and stores the decoded text', async () => {
      const channelId = await newChannel();
      const psid = newCustomer();
      const body = pageBody(
        entry([fromCustomer(psid, 1750413000187, { message: { mid: 'm_unicode-1', text: 'äöå, Zażółć 🚚' } })]),
      );
      expect(body).toContain('\\u00e4\\u00f6\\u00e5');
      expect(body).toContain('\\ud83d\\ude9a');
      const decodedForm = JSON.stringify(JSON.parse(body));

      await postWebhook(channelId, body, metaSignature(decodedForm)).expect(401);
      await postWebhook(channelId, body).expect(200, { stored: 1, duplicates: 0, statusUpdates: 0 });

      const { rows } = await sut.db.query(`SELECT text FROM messages WHERE channel_id = $1`, [channelId]);
      expect(rows).toEqual([{ text: 'äöå, Zażółć 🚚' }]);
    });
  });

  describe('inbound events', () => {
    const photo = Buffer.from('\xff\xd8\xff\xe0 fake jpeg bytes of a parcel photo', 'latin1');
    const invoice = Buffer.from('%PDF-1.7 invoice 8812');
    const voice = Buffer.from('ID3 fake audio clip');
    const annaPicture = Buffer.from('\xff\xd8\xff\xe0 Anna profile picture', 'latin1');

    it('stores every message of a batch of two entries, names contacts from profiles and downloads attachments; a repeat stores nothing', async () => {
      const channelId = await newChannel();
      const anna = newCustomer('Anna', 'Kowalska', annaPicture);
      const ben = newCustomer('Ben', 'Okafor');
      const photoUrl = graph.addCdnFile('v/t1.15752-9/448812345_1234567890123456_n.jpg', photo, 'image/jpeg');
      const invoiceUrl = graph.addCdnFile('v/t59.2708-21/invoice-8812.pdf', invoice, 'application/pdf');
      const voiceUrl = graph.addCdnFile('v/t59.3654-21/audioclip-1750413061302.mp4', voice, 'audio/mpeg');
      const t0 = 1750413000187;
      const body = pageBody(
        entry([
          fromCustomer(anna, t0, {
            message: { mid: 'm_batch-1', text: 'Where is my order 8812?', quick_reply: { payload: 'ORDER_STATUS' } },
          }),
          fromCustomer(anna, t0 + 1000, {
            message: { mid: 'm_batch-2', attachments: [{ type: 'image', payload: { url: photoUrl } }] },
          }),
        ]),
        entry([
          fromCustomer(ben, t0 + 2000, {
            message: { mid: 'm_batch-3', attachments: [{ type: 'file', payload: { url: invoiceUrl } }] },
          }),
          {
            sender: { id: PAGE_ID },
            recipient: { id: ben },
            timestamp: t0 + 2500,
            message: { mid: 'm_echo-1', is_echo: true, app_id: 1517776481860111, text: 'Thanks, checking.' },
          },
          fromCustomer(ben, t0 + 3000, {
            message: { mid: 'm_batch-4', attachments: [{ type: 'audio', payload: { url: voiceUrl } }] },
          }),
        ]),
      );

      await postWebhook(channelId, body).expect(200, { stored: 4, duplicates: 0, statusUpdates: 0 });

      const { rows: messages } = await sut.db.query(
        `SELECT m.provider_message_id, m.direction, m.text, m.sent_at, c.external_chat_id
           FROM messages m JOIN chats c ON c.id = m.chat_id WHERE m.channel_id = $1 ORDER BY m.sent_at`,
        [channelId],
      );
      expect(messages).toEqual([
        {
          provider_message_id: 'm_batch-1',
          direction: 'in',
          text: 'Where is my order 8812?',
          sent_at: new Date(t0),
          external_chat_id: anna,
        },
        {
          provider_message_id: 'm_batch-2',
          direction: 'in',
          text: null,
          sent_at: new Date(t0 + 1000),
          external_chat_id: anna,
        },
        {
          provider_message_id: 'm_batch-3',
          direction: 'in',
          text: null,
          sent_at: new Date(t0 + 2000),
          external_chat_id: ben,
        },
        {
          provider_message_id: 'm_batch-4',
          direction: 'in',
          text: null,
          sent_at: new Date(t0 + 3000),
          external_chat_id: ben,
        },
      ]);

      const contacts = await eventually(async () => {
        const { rows } = await sut.db.query(
          `SELECT i.external_user_id, c.id, c.name, c.avatar_url, c.avatar FROM contacts c
             JOIN contact_identities i ON i.contact_id = c.id WHERE i.channel_id = $1 ORDER BY c.name`,
          [channelId],
        );
        return rows.every((row) => !row.name.startsWith('[New Contact]')) && rows;
      });
      expect(contacts).toEqual([
        {
          external_user_id: anna,
          id: expect.any(String),
          name: 'Anna Kowalska',
          avatar_url: `/contacts/${contacts[0].id}/avatar`,
          avatar: annaPicture,
        },
        { external_user_id: ben, id: expect.any(String), name: 'Ben Okafor', avatar_url: null, avatar: null },
      ]);
      const [profileCall] = graph.callsTo('GET', `/${GRAPH_VERSION}/${anna}`);
      expect(profileCall.query.get('fields')).toBe('first_name,last_name,profile_pic');
      expect(profileCall.headers.authorization).toBe(`Bearer ${PAGE_TOKEN}`);

      const files = await eventually(async () => {
        const { rows } = await sut.db.query(
          `SELECT f.id, f.kind, f.status, f.file_name, f.mime_type, m.provider_message_id FROM message_files f
             JOIN messages m ON m.id = f.message_id WHERE m.channel_id = $1 ORDER BY m.sent_at`,
          [channelId],
        );
        return rows.length === 3 && rows.every((row) => row.status === 'stored') && rows;
      });
      expect(files.map(({ id: _id, ...file }) => file)).toEqual([
        {
          kind: 'image',
          status: 'stored',
          file_name: '448812345_1234567890123456_n.jpg',
          mime_type: 'image/jpeg',
          provider_message_id: 'm_batch-2',
        },
        {
          kind: 'file',
          status: 'stored',
          file_name: 'invoice-8812.pdf',
          mime_type: 'application/pdf',
          provider_message_id: 'm_batch-3',
        },
        {
          kind: 'audio',
          status: 'stored',
          file_name: 'audioclip-1750413061302.mp4',
          mime_type: 'audio/mpeg',
          provider_message_id: 'm_batch-4',
        },
      ]);
      for (const [file, bytes] of [
        [files[0], photo],
        [files[1], invoice],
        [files[2], voice],
      ] as const) {
        const download = await sut
          .admin()
          .get(`/files/${file.id}`)
          .buffer(true)
          .parse((res, callback) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => callback(null, Buffer.concat(chunks)));
          })
          .expect(200);
        expect(Buffer.compare(download.body, bytes)).toBe(0);
      }
      const cdnCalls = graph.calls.filter((call) => call.path.startsWith('/cdn/'));
      expect(cdnCalls.length).toBeGreaterThanOrEqual(4);
      for (const call of cdnCalls) expect(call.headers.authorization).toBeUndefined();

      await postWebhook(channelId, body).expect(200, { stored: 0, duplicates: 4, statusUpdates: 0 });
      expect(await messageCount(channelId)).toBe(4);
      expect(await count(`SELECT count(*) FROM chats WHERE channel_id = $1`, [channelId])).toBe(2);
    });

    it('answers 200 for events it does not handle, and for other Pages or objects, storing nothing', async () => {
      const channelId = await newChannel();
      const psid = newCustomer();
      const reaction = fromCustomer(psid, Date.now(), {
        reaction: { mid: 'm_ours', action: 'react', emoji: '❤', reaction: 'love' },
      });
      const otherPage = entry(
        [{ sender: { id: psid }, recipient: { id: '999' }, timestamp: Date.now(), message: { mid: 'm_x', text: 'x' } }],
        '999',
      );

      await postWebhook(channelId, pageBody(entry([reaction]), otherPage)).expect(200, {
        stored: 0,
        duplicates: 0,
        statusUpdates: 0,
      });
      await postWebhook(
        channelId,
        metaJson({ object: 'instagram', entry: [{ id: '1789', time: 1, messaging: [] }] }),
      ).expect(200, { stored: 0, duplicates: 0, statusUpdates: 0 });
      expect(await messageCount(channelId)).toBe(0);
    });

    it('refuses a malformed event with 400 naming the field, storing nothing', async () => {
      const channelId = await newChannel();
      const body = pageBody(entry([fromCustomer(newCustomer(), Date.now(), { message: { text: 'no mid' } })]));

      const response = await postWebhook(channelId, body).expect(400);

      expect(response.body).toMatchObject({ code: 'INVALID_PAYLOAD', field: 'entry[0].messaging[0].message.mid' });
      expect(await messageCount(channelId)).toBe(0);
    });
  });

  describe('replies and receipts', () => {
    it('sends a reply with the Send API exactly as Meta expects, the mid becoming its provider id', async () => {
      const channelId = await newChannel();
      const psid = newCustomer();
      const chatId = await openChat(channelId, psid);

      const messageId = await reply(chatId, { text: 'Order 8812 ships tomorrow 🚚', clientMessageId: 'send-1' });

      const message = await settled(messageId);
      const [send, ...rest] = graph.sends().filter((call) => call.body.recipient.id === psid);
      expect(rest).toEqual([]);
      expect(send.headers.authorization).toBe(`Bearer ${PAGE_TOKEN}`);
      expect(send.headers['content-type']).toMatch(/^application\/json/);
      expect(send.query.get('access_token')).toBeNull();
      expect(send.body).toEqual({
        recipient: { id: psid },
        messaging_type: 'RESPONSE',
        message: { text: 'Order 8812 ships tomorrow 🚚' },
      });
      expect(message).toMatchObject({ status: 'sent', provider_message_id: send.response.message_id, attempts: 1 });
    });

    it('sends a reply with a file as the text, then the file by URL', async () => {
      const channelId = await newChannel();
      const psid = newCustomer();
      const chatId = await openChat(channelId, psid);

      const messageId = await reply(chatId, {
        text: 'Your invoice',
        clientMessageId: 'send-file',
        attachments: [{ url: 'https://files.example.com/invoices/8812.pdf', type: 'document', fileName: '8812.pdf' }],
      });

      const message = await settled(messageId);
      const sends = graph.sends().filter((call) => call.body.recipient.id === psid);
      expect(sends.map((call) => call.body)).toEqual([
        { recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'Your invoice' } },
        {
          recipient: { id: psid },
          messaging_type: 'RESPONSE',
          message: { attachment: { type: 'file', payload: { url: 'https://files.example.com/invoices/8812.pdf' } } },
        },
      ]);
      expect(message).toMatchObject({ status: 'sent', provider_message_id: sends[0].response.message_id });
    });

    it('moves our messages to delivered (by mid and by watermark) and read, forward only', async () => {
      const channelId = await newChannel();
      const psid = newCustomer();
      const chatId = await openChat(channelId, psid);
      const first = await settled(await reply(chatId, { text: 'First answer', clientMessageId: 'r-1' }));
      const secondId = await reply(chatId, { text: 'Second answer', clientMessageId: 'r-2' });
      const second = await settled(secondId);
      const firstId = (
        await sut.db.query(`SELECT id FROM messages WHERE provider_message_id = $1`, [first.provider_message_id])
      ).rows[0].id;
      const event = (payload: Record<string, unknown>) => pageBody(entry([fromCustomer(psid, Date.now(), payload)]));

      await postWebhook(
        channelId,
        event({ delivery: { mids: [first.provider_message_id], watermark: first.sent_at.getTime() } }),
      ).expect(200, { stored: 0, duplicates: 0, statusUpdates: 1 });
      expect([await statusOf(firstId), await statusOf(secondId)]).toEqual(['delivered', 'sent']);

      await postWebhook(channelId, event({ delivery: { watermark: second.sent_at.getTime() + 1 } })).expect(200, {
        stored: 0,
        duplicates: 0,
        statusUpdates: 1,
      });
      expect([await statusOf(firstId), await statusOf(secondId)]).toEqual(['delivered', 'delivered']);

      await postWebhook(channelId, event({ read: { watermark: Date.now() } })).expect(200, {
        stored: 0,
        duplicates: 0,
        statusUpdates: 2,
      });
      expect([await statusOf(firstId), await statusOf(secondId)]).toEqual(['read', 'read']);

      const lateDelivery = event({ delivery: { mids: [second.provider_message_id], watermark: Date.now() } });
      await postWebhook(channelId, lateDelivery).expect(200, { stored: 0, duplicates: 0, statusUpdates: 0 });
      expect([await statusOf(firstId), await statusOf(secondId)]).toEqual(['read', 'read']);
    });

    it("fails a reply outside the 24-hour window with Meta's reason, without retrying", async () => {
      const channelId = await newChannel();
      const psid = newCustomer();
      const chatId = await openChat(channelId, psid);
      graph.closeWindow(psid);

      const message = await settled(await reply(chatId, { text: 'Too late?', clientMessageId: 'window' }));

      const [send] = graph.sends().filter((call) => call.body.recipient.id === psid);
      expect(message).toMatchObject({ status: 'failed', attempts: 1, provider_message_id: null });
      expect(message.error).toBe(
        `${GRAPH_ERRORS.outsideWindow.error.message} (Graph error 10/2018278, fbtrace_id ${send.response.error.fbtrace_id})`,
      );
    });

    it('waits and retries after Graph throttling (code 613), then delivers once', async () => {
      const channelId = await newChannel();
      const psid = newCustomer();
      const chatId = await openChat(channelId, psid);
      graph.failNextSends(GRAPH_ERRORS.throttled);

      const message = await settled(await reply(chatId, { text: 'Patience', clientMessageId: 'throttle' }));

      const sends = graph.sends().filter((call) => call.body.recipient.id === psid);
      expect(sends.map((call) => call.response.error?.code ?? 'ok')).toEqual([613, 'ok']);
      expect(sends[1].receivedAt - sends[0].receivedAt).toBeGreaterThanOrEqual(500);
      expect(message).toMatchObject({
        status: 'sent',
        attempts: 2,
        error: null,
        provider_message_id: sends[1].response.message_id,
      });
    });

    it('marks the channel in error and parks the reply when the Page token is revoked, without revealing it', async () => {
      const channelId = await newChannel();
      const psid = newCustomer();
      const chatId = await openChat(channelId, psid);
      graph.revokeToken();
      try {
        const messageId = await reply(chatId, { text: 'Hello?', clientMessageId: 'revoked' });
        const message = await eventually(async () => {
          const { rows } = await sut.db.query(`SELECT status, error, attempts FROM messages WHERE id = $1`, [
            messageId,
          ]);
          return rows[0].error !== null && rows[0];
        });
        const check = await sut.admin().post(`/admin/channels/${channelId}/test`).expect(200);
        const channel = await sut.admin().get(`/admin/channels/${channelId}`).expect(200);

        expect(message).toMatchObject({ status: 'queued', attempts: 0 });
        expect(message.error).toContain('Invalid OAuth access token - Cannot parse access token (Graph error 190');
        expect(check.body).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
        expect(channel.body.status).toMatchObject({
          connected: false,
          error: expect.stringContaining('Graph error 190'),
        });
        for (const text of [message.error, JSON.stringify(check.body), JSON.stringify(channel.body)]) {
          for (const secret of SECRETS) expect(text).not.toContain(secret);
        }
      } finally {
        graph.revokeToken(false);
      }
    });
  });
});
