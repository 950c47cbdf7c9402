import { createHash } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { ChannelPollingService } from '../../src/messaging/polling/channel-polling.service';
import { XUser } from '../../src/providers/x/x.api.types';
import { FakeXApi, X_ACCOUNT, X_CLIENT_ID, X_INITIAL_ACCESS_TOKEN, X_INITIAL_REFRESH_TOKEN } from '../fakes/x-api';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

const ANNA: XUser = {
  id: '1456789012345678901',
  name: 'Anna Kowalska',
  username: 'anna_k_pl',
  profile_image_url: 'https://pbs.twimg.com/profile_images/1456789012345678901/FakeAvatar_normal.jpg',
};
const BEN: XUser = { id: '1234567890', name: 'Ben Okafor', username: 'benok' };
const PHOTO = Buffer.from('ffd8ffe000104a46494600010101-a-jpeg-of-an-order', 'utf8');
const ENV = { PROVIDER_HTTP_TIMEOUT_MS: '1000' };

async function registerXChannel(
  testApp: TestApp,
  api: FakeXApi,
  settings: Record<string, unknown> = {},
): Promise<string> {
  const response = await testApp
    .admin()
    .post('/admin/channels')
    .send({
      name: 'Acme on X',
      provider: 'x',
      settings: {
        clientId: X_CLIENT_ID,
        refreshToken: X_INITIAL_REFRESH_TOKEN,
        accessToken: X_INITIAL_ACCESS_TOKEN,
        apiBaseUrl: api.url,
        pollIntervalSeconds: 5,
        pageSize: 2,
        ...settings,
      },
    })
    .expect(201);
  return response.body.id;
}

/** Makes the channel due and runs one polling pass (the background loop may win the lock: assert with eventually). */
async function pollNow({ app, db }: TestApp, channelId: string): Promise<void> {
  await db.query(`UPDATE provider_state SET value = value - 'nextAt' WHERE channel_id = $1 AND key = 'poll'`, [
    channelId,
  ]);
  await app.get(ChannelPollingService).pollDueChannels();
}

async function pollState(db: Client, channelId: string): Promise<{ cursor?: string; failures?: number } | undefined> {
  const { rows } = await db.query(`SELECT value FROM provider_state WHERE channel_id = $1 AND key = 'poll'`, [
    channelId,
  ]);
  return rows[0]?.value;
}

async function inboundIds(db: Client, channelId: string): Promise<string[]> {
  const { rows } = await db.query(
    `SELECT provider_message_id FROM messages WHERE channel_id = $1 AND direction = 'in' ORDER BY sent_at, provider_message_id`,
    [channelId],
  );
  return rows.map((row: { provider_message_id: string }) => row.provider_message_id);
}

describe('X direct messages: a polled provider (GET /2/dm_events)', () => {
  let sut: TestApp;
  let api: FakeXApi;

  beforeAll(async () => {
    sut = await startTestApp(ENV);
  });

  beforeEach(async () => {
    api = await FakeXApi.start({
      me: X_ACCOUNT,
      clientId: X_CLIENT_ID,
      accessTokens: [X_INITIAL_ACCESS_TOKEN],
      refreshToken: X_INITIAL_REFRESH_TOKEN,
    });
  });

  afterEach(async () => {
    // Stop polling this test's channels before their fake goes away.
    await sut.db.query(`UPDATE channels SET active = false`);
    await api.stop();
  });

  afterAll(async () => {
    await sut.close();
  });

  it('registers the account from GET /2/users/me, never shows the tokens, and refuses webhooks', async () => {
    const channelId = await registerXChannel(sut, api);

    const { body } = await sut.admin().get(`/admin/channels/${channelId}`).expect(200);
    expect(body).toMatchObject({
      provider: 'x',
      source: X_ACCOUNT.id,
      status: { active: true, connected: true, registered: true, error: null },
      settings: { clientId: X_CLIENT_ID, refreshToken: '********', accessToken: '********', pageSize: 2 },
    });
    expect(api.received('GET', '/2/users/me')[0].headers.authorization).toBe(`Bearer ${X_INITIAL_ACCESS_TOKEN}`);
    const { rows } = await sut.db.query(`SELECT settings::text FROM msg_settings WHERE provider = 'x'`);
    expect(rows.map((row: { settings: string }) => row.settings).join()).not.toMatch(/x-initial-(access|refresh)/);

    const refused = await request(sut.app.getHttpServer())
      .post(`/webhooks/${channelId}`)
      .set('x-twitter-webhooks-signature', 'sha256=0WrgC+VDR1cB41SUdjtXj3VmL0mNsz/jaOhPnsK99D4=')
      .send({ for_user_id: X_ACCOUNT.id, direct_message_events: [] })
      .expect(401);
    expect(refused.body).toMatchObject({
      code: 'INVALID_SIGNATURE',
      message: 'X channels are polled; they take no webhooks',
    });
    await request(sut.app.getHttpServer()).get(`/webhooks/${channelId}`).query({ crc_token: 'abc' }).expect(404);
    expect(await inboundIds(sut.db, channelId)).toEqual([]);
  });

  it('stores polled text and photo messages, names contacts from their profiles and downloads the photo', async () => {
    const photoMessage = api.customerWrites(ANNA, 'Hi! Can you check order 8812? https://t.co/AbCdEf1234', {
      name: 'FakeImg.jpg',
      bytes: PHOTO,
    });
    const textMessage = api.customerWrites(BEN, 'Hello, anyone there?');
    const channelId = await registerXChannel(sut, api);

    await pollNow(sut, channelId);
    expect(await eventually(async () => (await inboundIds(sut.db, channelId)).length === 2 || undefined)).toBe(true);

    const { rows: chats } = await sut.db.query(
      `SELECT c.id, c.external_chat_id, ct.name, ct.avatar_url FROM chats c JOIN contacts ct ON ct.id = c.contact_id
        WHERE c.channel_id = $1 ORDER BY ct.name`,
      [channelId],
    );
    expect(chats.map((chat: { external_chat_id: string; name: string }) => [chat.external_chat_id, chat.name])).toEqual(
      [
        [`${ANNA.id}-${X_ACCOUNT.id}`, 'Anna Kowalska'],
        [`${BEN.id}-${X_ACCOUNT.id}`, 'Ben Okafor'],
      ],
    );
    const avatar = await eventually(async () => {
      const { rows } = await sut.db.query(
        `SELECT c.avatar_url FROM contacts c JOIN contact_identities i ON i.contact_id = c.id
          WHERE i.channel_id = $1 AND i.external_user_id = $2`,
        [channelId, ANNA.id],
      );
      return rows[0]?.avatar_url ?? undefined;
    });
    expect(avatar).toBe(ANNA.profile_image_url);
    expect(api.received('GET', `/2/users/${ANNA.id}`)[0].query.get('user.fields')).toBe(
      'name,username,profile_image_url',
    );

    const page = await sut.admin().get(`/chats/${chats[0].id}/messages`).expect(200);
    expect(page.body.items[0]).toMatchObject({
      direction: 'in',
      text: 'Hi! Can you check order 8812? https://t.co/AbCdEf1234',
      providerMessageId: photoMessage.id,
      sentAt: photoMessage.created_at,
    });
    const file = await eventually(async () => {
      const messages = await sut.admin().get(`/chats/${chats[0].id}/messages`).expect(200);
      const [attachment] = messages.body.items[0].attachments;
      return attachment?.status === 'stored' && attachment;
    });
    expect(file).toMatchObject({
      kind: 'image',
      fileName: 'FakeImg.jpg',
      mimeType: 'image/jpeg',
      size: PHOTO.length,
      sha256: createHash('sha256').update(PHOTO).digest('hex'),
    });
    const download = await sut
      .admin()
      .get(file.url)
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(Buffer.compare(download.body, PHOTO)).toBe(0);
    expect(await inboundIds(sut.db, channelId)).toContain(textMessage.id);
  });

  it('reads two pages across a restart of the service, losing and repeating nothing', async () => {
    const database = await createTestDatabase();
    let first: TestApp | undefined = await startTestApp(ENV, database.url);
    let second: TestApp | undefined;
    try {
      const { db } = first;
      const earlier = [api.customerWrites(ANNA, 'm1'), api.customerWrites(BEN, 'm2')];
      const channelId = await registerXChannel(first, api);
      await pollNow(first, channelId);
      await eventually(async () => (await pollState(db, channelId))?.cursor === earlier[1].id);

      const later = [api.customerWrites(ANNA, 'm3'), api.customerWrites(BEN, 'm4'), api.customerWrites(ANNA, 'm5')];
      api.olderPagesAnswer = {
        status: 503,
        body: { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 },
      };
      await pollNow(first, channelId);
      await eventually(async () => ((await pollState(db, channelId))?.failures ?? 0) > 0);
      expect(await pollState(db, channelId)).toMatchObject({ cursor: earlier[1].id });
      expect(await inboundIds(db, channelId)).toEqual(earlier.map((event) => event.id));
      await first.close();
      first = undefined;

      api.olderPagesAnswer = undefined;
      second = await startTestApp(ENV, database.url);
      const pagesBefore = api.received('GET', '/2/dm_events').length;
      await pollNow(second, channelId);
      await eventually(async () => (await pollState(second!.db, channelId))?.cursor === later[2].id);

      const all = [...earlier, ...later].map((event) => event.id);
      expect(await inboundIds(second.db, channelId)).toEqual(all);
      const pages = api.received('GET', '/2/dm_events').slice(pagesBefore);
      expect(pages.map((page) => page.query.has('pagination_token'))).toEqual([false, true]);

      // As if an instance died after storing a page but before saving the cursor: the re-read is dropped.
      await second.db.query(
        `UPDATE provider_state SET value = jsonb_set(value, '{cursor}', to_jsonb($2::text)) WHERE channel_id = $1 AND key = 'poll'`,
        [channelId, later[0].id],
      );
      await pollNow(second, channelId);
      await eventually(async () => (await pollState(second!.db, channelId))?.cursor === later[2].id);
      expect(await inboundIds(second.db, channelId)).toEqual(all);
    } finally {
      await first?.close();
      await second?.close();
      await database.drop();
    }
  });

  it('refreshes an expired access token once, keeps the rotated tokens encrypted, and uses them next time', async () => {
    const channelId = await registerXChannel(sut, api);
    api.expireAccessTokens();
    const hello = api.customerWrites(ANNA, 'hello');

    await pollNow(sut, channelId);
    await eventually(async () => (await inboundIds(sut.db, channelId)).includes(hello.id));

    const [refresh, ...more] = api.received('POST', '/2/oauth2/token');
    expect(more).toEqual([]);
    expect(Object.fromEntries(new URLSearchParams(refresh.rawBody.toString()))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: X_INITIAL_REFRESH_TOKEN,
      client_id: X_CLIENT_ID,
    });
    const { rows } = await sut.db.query(`SELECT key, value::text FROM provider_state WHERE channel_id = $1`, [
      channelId,
    ]);
    expect(rows.map((row: { key: string }) => row.key).sort()).toEqual([
      'poll',
      'x.oauth.accessToken',
      'x.oauth.refreshToken',
    ]);
    const stored = rows.map((row: { value: string }) => row.value).join('\n');
    for (const secret of ['x-access-token-1', 'x-refresh-token-1', 'x-initial-access-token', 'x-initial-refresh']) {
      expect(stored).not.toContain(secret);
    }

    api.expireAccessTokens();
    const again = api.customerWrites(ANNA, 'still there?');
    await pollNow(sut, channelId);
    await eventually(async () => (await inboundIds(sut.db, channelId)).includes(again.id));

    expect(
      api
        .received('POST', '/2/oauth2/token')
        .map((request) => new URLSearchParams(request.rawBody.toString()).get('refresh_token')),
    ).toEqual([X_INITIAL_REFRESH_TOKEN, 'x-refresh-token-1-bWRWa3gzdnk3WHRG']);
    expect(api.received('GET', '/2/dm_events').at(-1)!.headers.authorization).toBe(
      'Bearer x-access-token-2-VGhpcy1pcy1hLWZha2U',
    );
  });

  it('puts the channel in error, without the token in the reason, when X refuses the refresh token', async () => {
    const channelId = await registerXChannel(sut, api);
    api.expireAccessTokens();
    api.queue('POST', '/2/oauth2/token', {
      status: 400,
      body: { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' },
    });

    await pollNow(sut, channelId);

    const error = await eventually(async () => {
      const { rows } = await sut.db.query(`SELECT error FROM channels WHERE id = $1`, [channelId]);
      return rows[0].error ?? undefined;
    });
    expect(error).toBe(
      'X refused the refresh token (HTTP 400: Value passed for the token was invalid.); authorize the app again and update refreshToken',
    );
  });

  /** A customer message polled into a chat; resolves with the chat id. */
  async function openChat(channelId: string, customer: XUser): Promise<string> {
    api.customerWrites(customer, 'Where is my order?');
    await pollNow(sut, channelId);
    return eventually(async () => {
      const { rows } = await sut.db.query(`SELECT id FROM chats WHERE channel_id = $1`, [channelId]);
      return rows[0]?.id;
    });
  }

  async function settled(messageId: string) {
    return eventually(async () => {
      const { rows } = await sut.db.query(`SELECT status, error, provider_message_id FROM messages WHERE id = $1`, [
        messageId,
      ]);
      return ['sent', 'failed'].includes(rows[0].status) && rows[0];
    });
  }

  it('delivers a reply with the exact request, and does not read it back as a customer message', async () => {
    const channelId = await registerXChannel(sut, api);
    const chatId = await openChat(channelId, ANNA);

    const accepted = await sut
      .admin()
      .post(`/chats/${chatId}/messages`)
      .send({ text: 'Hi Anna — order 8812 ships tomorrow.', clientMessageId: 'reply-1' })
      .expect(202);

    const outcome = await settled(accepted.body.id);
    const [ownEvent] = api.eventsFrom(X_ACCOUNT.id);
    expect(outcome).toEqual({ status: 'sent', error: null, provider_message_id: ownEvent.id });
    const [sent, ...more] = api.received('POST', `/2/dm_conversations/with/${ANNA.id}/messages`);
    expect(more).toEqual([]);
    expect(sent.json()).toEqual({ text: 'Hi Anna — order 8812 ships tomorrow.' });
    expect(sent.headers.authorization).toBe(`Bearer ${X_INITIAL_ACCESS_TOKEN}`);
    expect(sent.headers['content-type']).toMatch(/^application\/json/);

    await pollNow(sut, channelId);
    await eventually(async () => (await pollState(sut.db, channelId))?.cursor === ownEvent.id);
    expect(await inboundIds(sut.db, channelId)).toHaveLength(1);
  });

  it('refuses replies X would refuse: over 10,000 characters, or with attachments', async () => {
    const channelId = await registerXChannel(sut, api);
    const chatId = await openChat(channelId, ANNA);
    const reply = (body: Record<string, unknown>) => sut.admin().post(`/chats/${chatId}/messages`).send(body);

    await reply({ text: 'x'.repeat(10_000), clientMessageId: 'longest' }).expect(202);
    const tooLong = await reply({ text: 'x'.repeat(10_001), clientMessageId: 'too-long' }).expect(400);
    expect(tooLong.body).toMatchObject({ code: 'CHANNEL_CANNOT_SEND', field: 'text' });
    const withFile = await reply({
      text: 'the invoice',
      clientMessageId: 'with-file',
      attachments: [{ url: 'https://files.example.com/invoice.pdf', type: 'document' }],
    }).expect(400);
    expect(withFile.body).toMatchObject({ code: 'CHANNEL_CANNOT_SEND', field: 'attachments' });
  });

  it('waits until x-rate-limit-reset after a 429, then delivers', async () => {
    const channelId = await registerXChannel(sut, api);
    const chatId = await openChat(channelId, BEN);
    const path = `/2/dm_conversations/with/${BEN.id}/messages`;
    const resetAt = Math.floor(Date.now() / 1000) + 2;
    api.rateLimitNext('POST', path, resetAt);

    const accepted = await sut
      .admin()
      .post(`/chats/${chatId}/messages`)
      .send({ text: 'Thanks for waiting', clientMessageId: 'limited-1' })
      .expect(202);

    expect(await settled(accepted.body.id)).toMatchObject({ status: 'sent', error: null });
    const [limited, delivered] = api.received('POST', path);
    expect(limited.receivedAt).toBeLessThan(resetAt * 1000);
    expect(delivered.receivedAt).toBeGreaterThanOrEqual(resetAt * 1000 - 50);
  });

  it("fails a reply X refuses (403) with X's reason, without retrying", async () => {
    const channelId = await registerXChannel(sut, api);
    const chatId = await openChat(channelId, ANNA);
    const path = `/2/dm_conversations/with/${ANNA.id}/messages`;
    api.queue('POST', path, {
      status: 403,
      headers: { 'content-type': 'application/problem+json' },
      body: {
        title: 'Forbidden',
        detail: 'You are not permitted to send a message to this user.',
        type: 'https://api.x.com/2/problems/not-authorized-for-resource',
        status: 403,
      },
    });

    const accepted = await sut
      .admin()
      .post(`/chats/${chatId}/messages`)
      .send({ text: 'Hello again', clientMessageId: 'refused-1' })
      .expect(202);

    expect(await settled(accepted.body.id)).toEqual({
      status: 'failed',
      error: 'HTTP 403: You are not permitted to send a message to this user.',
      provider_message_id: null,
    });
    expect(api.received('POST', path)).toHaveLength(1);
  });

  it('never stores an event twice when two instances poll the channel at the same time', async () => {
    const channelId = await registerXChannel(sut, api);
    await eventually(async () => (await pollState(sut.db, channelId))?.cursor === '0');
    const written = ['a', 'b', 'c'].map((text) => api.customerWrites(ANNA, text));
    const other = await startTestApp(ENV, sut.databaseUrl);
    try {
      const pagesBefore = api.received('GET', '/2/dm_events').length;
      await sut.db.query(`UPDATE provider_state SET value = value - 'nextAt' WHERE channel_id = $1 AND key = 'poll'`, [
        channelId,
      ]);

      await Promise.all([sut, other, sut, other].map(({ app }) => app.get(ChannelPollingService).pollDueChannels()));

      await eventually(async () => (await pollState(sut.db, channelId))?.cursor === written[2].id);
      expect(await inboundIds(sut.db, channelId)).toEqual(written.map((event) => event.id));
      expect(api.received('GET', '/2/dm_events').length - pagesBefore).toBe(2);
    } finally {
      await other.close();
    }
  });
});
