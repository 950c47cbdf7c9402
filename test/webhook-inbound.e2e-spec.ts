import { createHash } from 'node:crypto';
import request from 'supertest';
import { FakeReceiver } from './support/fake-receiver';
import { eventually } from './support/eventually';
import { startTestApp, TestApp } from './support/test-app';
import { signBody } from '../src/providers/webhook/webhook.signature';
import { inboundBody, postSigned, registerWebhookChannel, WEBHOOK_SECRET } from './support/webhook-channel';

describe('Inbound webhook: POST /webhooks/:channelId (webhook provider)', () => {
  let sut: TestApp;
  let sender: FakeReceiver;

  beforeAll(async () => {
    sut = await startTestApp();
    sender = await FakeReceiver.start();
  });

  afterAll(async () => {
    await sut.close();
    await sender.stop();
  });

  const count = async (table: string, channelId: string) =>
    Number((await sut.db.query(`SELECT count(*) FROM ${table} WHERE channel_id = $1`, [channelId])).rows[0].count);

  it('stores a signed message as contact, chat and message, readable through the chat API', async () => {
    const channel = await registerWebhookChannel(sut, sender);
    await postSigned(sut, channel.id, inboundBody({ id: 'm-1', text: 'Where is my order?' })).expect(200, {
      stored: 1,
      duplicates: 0,
      statusUpdates: 0,
    });

    const chats = await sut.admin().get('/chats').query({ channelId: channel.id }).expect(200);
    expect(chats.body.items).toHaveLength(1);
    expect(chats.body.items[0]).toMatchObject({
      status: 'queued',
      externalChatId: 'chat-1',
      channel: { id: channel.id, provider: 'webhook' },
      contact: { name: 'Ada Lovelace' },
      unreadCount: 1,
      lastMessage: { direction: 'in', text: 'Where is my order?', status: 'received' },
    });
    const messages = await sut.admin().get(`/chats/${chats.body.items[0].id}/messages`).expect(200);
    expect(messages.body).toEqual({
      items: [
        expect.objectContaining({
          direction: 'in',
          senderType: 'contact',
          text: 'Where is my order?',
          status: 'received',
          providerMessageId: 'm-1',
          sentAt: '2026-11-21T10:00:00.000Z',
          attachments: [],
        }),
      ],
      nextCursor: null,
    });
  });

  it('stores a message posted 20 times at once exactly once', async () => {
    const channel = await registerWebhookChannel(sut, sender);
    const body = inboundBody({ id: 'same-1' });
    const responses = await Promise.all(Array.from({ length: 20 }, () => postSigned(sut, channel.id, body)));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
    expect(responses.reduce((sum, response) => sum + response.body.stored, 0)).toBe(1);
    expect(await count('messages', channel.id)).toBe(1);
    expect(await count('chats', channel.id)).toBe(1);
    expect(await count('contact_identities', channel.id)).toBe(1);

    await postSigned(sut, channel.id, body).expect(200, { stored: 0, duplicates: 1, statusUpdates: 0 });
    expect(await count('messages', channel.id)).toBe(1);
  });

  it('stores every new item of a batch that mixes new and already stored messages', async () => {
    const channel = await registerWebhookChannel(sut, sender);
    await postSigned(sut, channel.id, inboundBody({ id: 'b-1' })).expect(200);
    await postSigned(
      sut,
      channel.id,
      inboundBody({ id: 'b-1' }, { id: 'b-2' }, { id: 'b-3', chatId: 'chat-2' }),
    ).expect(200, {
      stored: 2,
      duplicates: 1,
      statusUpdates: 0,
    });
    expect(await count('messages', channel.id)).toBe(3);
    expect(await count('chats', channel.id)).toBe(2);
  });

  it('refuses a bad or missing signature with 401 and stores nothing', async () => {
    const channel = await registerWebhookChannel(sut, sender);
    const body = inboundBody({ id: 'forged' });
    const wrongKey = await postSigned(sut, channel.id, body, 'another-secret-of-enough-length').expect(401);
    expect(wrongKey.body).toMatchObject({ code: 'INVALID_SIGNATURE' });
    await request(sut.app.getHttpServer())
      .post(`/webhooks/${channel.id}`)
      .set('content-type', 'application/json')
      .send(body)
      .expect(401);
    const tampered = await request(sut.app.getHttpServer())
      .post(`/webhooks/${channel.id}`)
      .set('content-type', 'application/json')
      .set(
        'x-signature-256',
        signBody(body, WEBHOOK_SECRET).replace(/.$/, (c) => (c === '0' ? '1' : '0')),
      )
      .send(body);
    expect(tampered.status).toBe(401);
    expect(await count('messages', channel.id)).toBe(0);
  });

  it('answers 400 for malformed JSON and for a body of the wrong shape, storing nothing', async () => {
    const channel = await registerWebhookChannel(sut, sender);
    const malformed = await postSigned(sut, channel.id, '{"messages": [').expect(400);
    expect(malformed.body).toMatchObject({ statusCode: 400, code: 'MALFORMED_JSON' });

    const noSender = JSON.stringify({ messages: [{ id: 'x', chatId: 'c', text: 'hi', timestamp: 1 }] });
    const shape = await postSigned(sut, channel.id, noSender).expect(400);
    expect(shape.body).toMatchObject({ code: 'INVALID_PAYLOAD', field: 'messages[0].from' });

    const badTime = inboundBody({ id: 'x', timestamp: 'yesterday-ish' });
    await postSigned(sut, channel.id, badTime).expect(400);
    await postSigned(sut, channel.id, JSON.stringify({ messages: [] })).expect(400);
    expect(await count('messages', channel.id)).toBe(0);
  });

  it('answers 404 for an unknown channel and 413 for a body over the limit', async () => {
    await postSigned(sut, '00000000-0000-4000-8000-000000000000', inboundBody({ id: 'x' })).expect(404);
    const channel = await registerWebhookChannel(sut, sender);
    const huge = inboundBody({ id: 'huge', text: 'x'.repeat(5 * 1024 * 1024) });
    const response = await postSigned(sut, channel.id, huge).expect(413);
    expect(response.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(await count('messages', channel.id)).toBe(0);
  });

  it('answers 415 for a body that is not JSON, signed or not', async () => {
    const channel = await registerWebhookChannel(sut, sender);
    for (const [contentType, body] of [
      ['application/x-www-form-urlencoded', 'messages=1'],
      ['text/plain', inboundBody({ id: 'plain' })],
      ['application/xml', '<messages/>'],
    ]) {
      const response = await request(sut.app.getHttpServer())
        .post(`/webhooks/${channel.id}`)
        .set('content-type', contentType)
        .set('x-signature-256', signBody(body, WEBHOOK_SECRET))
        .send(body)
        .expect(415);
      expect(response.body).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    }
    expect(await count('messages', channel.id)).toBe(0);
  });

  it('downloads attachments after commit and serves them with size, mime type and sha256', async () => {
    const photo = Buffer.from('89504e470d0a1a0a-not-really-a-png', 'utf8');
    sender.on('GET', '/files/photo.png', () => ({
      status: 200,
      body: photo,
      headers: { 'content-type': 'image/png' },
    }));
    const channel = await registerWebhookChannel(sut, sender);
    await postSigned(
      sut,
      channel.id,
      inboundBody({
        id: 'with-photo',
        text: 'see attached',
        attachments: [{ url: `${sender.url}/files/photo.png`, type: 'image', fileName: 'photo.png' }],
      }),
    ).expect(200);

    const chatId = (await sut.db.query('SELECT id FROM chats WHERE channel_id = $1', [channel.id])).rows[0].id;
    const attachment = await eventually(async () => {
      const page = await sut.admin().get(`/chats/${chatId}/messages`).expect(200);
      const [file] = page.body.items[0].attachments;
      return file.status === 'stored' && file;
    });
    expect(attachment).toMatchObject({
      kind: 'image',
      fileName: 'photo.png',
      mimeType: 'image/png',
      size: photo.length,
      sha256: createHash('sha256').update(photo).digest('hex'),
      url: `/files/${attachment.id}`,
    });
    const download = await sut
      .admin()
      .get(attachment.url)
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(download.body, photo)).toBe(0);
  });

  it('keeps the message when an attachment cannot be downloaded, and marks the file failed', async () => {
    sender.on('GET', '/files/gone.pdf', () => ({ status: 404, body: { error: 'no such file' } }));
    const channel = await registerWebhookChannel(sut, sender);
    await postSigned(
      sut,
      channel.id,
      inboundBody({
        id: 'with-gone-file',
        text: 'contract',
        attachments: [{ url: `${sender.url}/files/gone.pdf`, type: 'document' }],
      }),
    ).expect(200);
    const file = await eventually(async () => {
      const { rows } = await sut.db.query(
        `SELECT f.status, f.error, m.text FROM message_files f JOIN messages m ON m.id = f.message_id WHERE m.channel_id = $1`,
        [channel.id],
      );
      return rows[0]?.status === 'failed' && rows[0];
    });
    expect(file).toEqual({ status: 'failed', error: 'HTTP 404: no such file', text: 'contract' });
  });

  it('names new contacts from the profile URL, or with the placeholder when nothing is known', async () => {
    sender.on('GET', '/profile', (req) =>
      req.query.get('userId') === 'known'
        ? { status: 200, body: { name: 'Grace Hopper', avatarUrl: 'https://example.com/grace.png' } }
        : { status: 404, body: { error: 'unknown user' } },
    );
    const channel = await registerWebhookChannel(sut, sender, { profileUrl: `${sender.url}/profile` });
    await postSigned(sut, channel.id, inboundBody({ id: 'p-1', chatId: 'c-known', from: { id: 'known' } })).expect(200);
    await postSigned(sut, channel.id, inboundBody({ id: 'p-2', chatId: 'c-anon', from: { id: 'anon-7' } })).expect(200);

    const names = await eventually(async () => {
      const { rows } = await sut.db.query(
        `SELECT i.external_user_id, c.name, c.avatar_url, c.name_placeholder FROM contacts c
           JOIN contact_identities i ON i.contact_id = c.id WHERE i.channel_id = $1 ORDER BY 1`,
        [channel.id],
      );
      const pending = await sut.db.query(`SELECT count(*) FROM jobs WHERE status <> 'failed'`);
      return rows.length === 2 && Number(pending.rows[0].count) === 0 && rows;
    });
    expect(names).toEqual([
      { external_user_id: 'anon-7', name: '[New Contact][Shop site]-anon-7', avatar_url: null, name_placeholder: true },
      {
        external_user_id: 'known',
        name: 'Grace Hopper',
        avatar_url: 'https://example.com/grace.png',
        name_placeholder: false,
      },
    ]);
  });

  it('opens a new chat for a new conversation and pages history newest first', async () => {
    const channel = await registerWebhookChannel(sut, sender);
    const ids = Array.from({ length: 5 }, (_, i) => `h-${i}`);
    for (const id of ids) await postSigned(sut, channel.id, inboundBody({ id })).expect(200);
    const chatId = (await sut.db.query('SELECT id FROM chats WHERE channel_id = $1', [channel.id])).rows[0].id;

    const first = await sut.admin().get(`/chats/${chatId}/messages`).query({ limit: 2 }).expect(200);
    expect(first.body.items.map((m: { providerMessageId: string }) => m.providerMessageId)).toEqual(['h-4', 'h-3']);
    const second = await sut
      .admin()
      .get(`/chats/${chatId}/messages`)
      .query({ limit: 2, before: first.body.nextCursor })
      .expect(200);
    expect(second.body.items.map((m: { providerMessageId: string }) => m.providerMessageId)).toEqual(['h-2', 'h-1']);
    const last = await sut
      .admin()
      .get(`/chats/${chatId}/messages`)
      .query({ limit: 2, before: second.body.nextCursor })
      .expect(200);
    expect(last.body).toMatchObject({
      items: [expect.objectContaining({ providerMessageId: 'h-0' })],
      nextCursor: null,
    });
    await sut.admin().get(`/chats/${chatId}/messages`).query({ limit: 0 }).expect(400);
    await sut.admin().get(`/chats/${chatId}/messages`).query({ before: 'abc' }).expect(400);
  });
});
