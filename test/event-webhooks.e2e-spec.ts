import { createHmac, timingSafeEqual } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { AppConfig } from '../src/config/app-config';
import { WebhookDeliveryPolicy } from '../src/event-webhooks/webhook-delivery.policy';
import { isChatEventForOperator } from '../src/events/chat-event-audience';
import { as, createOperator, createQueue, createTestChannel, customerWrites } from './support/agent-setup';
import { FakeReceiver, RecordedRequest } from './support/fake-receiver';
import { eventually } from './support/eventually';
import { startTestApp, TestApp } from './support/test-app';
import { inboundBody, postSigned, registerWebhookChannel } from './support/webhook-channel';

const ALL_EVENTS = [
  'message.created',
  'message.status',
  'chat.created',
  'chat.assigned',
  'chat.closed',
  'contact.created',
  'contact.updated',
];

/** Short timings for this file: a first retry after 100 ms, the second wait beyond the window, pause after 2 failures. */
const TEST_POLICY: Partial<WebhookDeliveryPolicy> = {
  retryScheduleMs: [100, 60_000],
  jitterRatio: 0,
  retryWindowMs: 10_000,
  pauseAfterFailures: 2,
  pauseAfterFailingForMs: 0,
  requestTimeoutMs: 1_000,
};

interface Subscription {
  id: string;
  secret?: string;
}

/**
 * Checks a delivery the way a receiver would, with nothing from the service's code: HMAC-SHA256,
 * keyed with the base64-decoded secret after `whsec_`, over `<webhook-id>.<webhook-timestamp>.<raw body>`.
 */
function expectValidSignature(delivery: RecordedRequest, secret: string): void {
  const id = String(delivery.headers['webhook-id']);
  const timestamp = String(delivery.headers['webhook-timestamp']);
  expect(id).toMatch(/^msg_[^.]+$/);
  expect(timestamp).toMatch(/^\d+$/);
  expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(delivery.rawBody).digest();
  const signatures = String(delivery.headers['webhook-signature'])
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  expect(signatures.some((signature) => signature.length === 32 && timingSafeEqual(signature, expected))).toBe(true);
}

describe('Event webhooks: subscriptions, signed deliveries, retries, replay and pausing', () => {
  let sut: TestApp;
  let receiver: FakeReceiver;
  const subscriptions: string[] = [];

  beforeAll(async () => {
    sut = await startTestApp();
    receiver = await FakeReceiver.start();
    Object.assign(sut.app.get(WebhookDeliveryPolicy), TEST_POLICY);
  });

  afterEach(async () => {
    // Every subscription hears every event: one test's must not hear the next test's.
    for (const id of subscriptions.splice(0)) await sut.admin().delete(`/admin/webhook-subscriptions/${id}`);
  });

  afterAll(async () => {
    await sut.close();
    await receiver.stop();
  });

  async function subscribe(path: string, events: string[], secret?: string): Promise<Subscription> {
    const response = await sut
      .admin()
      .post('/admin/webhook-subscriptions')
      .send({ url: `${receiver.url}${path}`, events, ...(secret ? { secret } : {}) })
      .expect(201);
    subscriptions.push(response.body.id);
    return response.body;
  }

  const received = (path: string) => receiver.received('POST', path);
  const typesAt = (path: string) => received(path).map((delivery) => delivery.json().type as string);
  const deliveryLog = async (subscriptionId: string, query = '') =>
    (await sut.admin().get(`/admin/webhook-subscriptions/${subscriptionId}/deliveries${query}`).expect(200)).body;
  const subscription = async (id: string) => (await sut.admin().get(`/admin/webhook-subscriptions/${id}`)).body;
  /** Several worker passes (they poll every 50 ms here) in which nothing more may arrive: the wait is the test. */
  const quietPeriod = () => new Promise((resolve) => setTimeout(resolve, 400));

  it('answers a generated secret once, stores it encrypted, and validates what it is given', async () => {
    const created = await subscribe('/crm-one', ['message.created']);

    expect(created).toMatchObject({
      url: `${receiver.url}/crm-one`,
      events: ['message.created'],
      active: true,
      pausedReason: null,
      secretSet: true,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    const secret = created.secret!;
    const shown = [
      await sut.admin().get(`/admin/webhook-subscriptions/${created.id}`).expect(200),
      await sut.admin().get('/admin/webhook-subscriptions').expect(200),
      await sut.admin().patch(`/admin/webhook-subscriptions/${created.id}`).send({ events: ALL_EVENTS }).expect(200),
    ];
    for (const answer of shown) {
      expect(JSON.stringify(answer.body)).not.toContain(secret.slice('whsec_'.length));
      expect(JSON.stringify(answer.body)).not.toContain('"secret"');
    }
    expect(shown[0].body).toMatchObject({ id: created.id, secretSet: true });
    const stored = await sut.db.query(`SELECT secret FROM webhook_subscriptions WHERE id = $1`, [created.id]);
    expect(stored.rows[0].secret).toMatch(/^aes256gcm:v1:/);
    expect(stored.rows[0].secret).not.toContain(secret.slice('whsec_'.length));
    const chosen = `whsec_${Buffer.alloc(24, 9).toString('base64')}`;
    const withChosenSecret = await subscribe('/crm-chosen', ['chat.closed'], chosen);
    expect(withChosenSecret).not.toHaveProperty('secret');

    const countBefore = (await sut.db.query(`SELECT count(*) FROM webhook_subscriptions`)).rows[0].count;
    for (const [body, field] of [
      [{ url: `${receiver.url}/x`, events: [] }, 'events'],
      [{ url: `${receiver.url}/x`, events: ['chat.opened'] }, 'events'],
      [{ url: `${receiver.url}/x` }, 'events'],
      [{ url: 'ftp://crm.example.com/hook', events: ['chat.closed'] }, 'url'],
      [{ events: ['chat.closed'] }, 'url'],
      [{ url: `${receiver.url}/x`, events: ['chat.closed'], secret: 'hunter2' }, 'secret'],
      [
        { url: `${receiver.url}/x`, events: ['chat.closed'], secret: `whsec_${Buffer.alloc(16).toString('base64')}` },
        'secret',
      ],
    ] as const) {
      const refused = await sut.admin().post('/admin/webhook-subscriptions').send(body).expect(400);
      expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED', field });
    }
    await sut.admin().patch(`/admin/webhook-subscriptions/${created.id}`).send({ events: [] }).expect(400);
    expect((await sut.db.query(`SELECT count(*) FROM webhook_subscriptions`)).rows[0].count).toBe(countBefore);
    await sut.admin().get('/admin/webhook-subscriptions/00000000-0000-4000-8000-000000000000').expect(404);
    await sut.admin().get('/admin/webhook-subscriptions/not-a-uuid').expect(404);
    await sut.admin().post('/admin/webhook-deliveries/00000000-0000-4000-8000-000000000000/replay').expect(404);
    await request(sut.app.getHttpServer()).get('/admin/webhook-subscriptions').expect(401);
  });

  it('sends contact.created, chat.created, message.created and contact.updated for a new customer, signed', async () => {
    const crm = await subscribe('/crm', ALL_EVENTS);
    receiver.on('POST', '/crm', () => ({ status: 204 }));
    receiver.on('GET', '/profile', () => ({
      status: 200,
      body: { name: 'Grace Hopper', avatarUrl: 'https://example.com/grace.png' },
    }));
    const channel = await registerWebhookChannel(sut, receiver, {
      url: `${receiver.url}/shop-out`,
      profileUrl: `${receiver.url}/profile`,
    });

    await postSigned(
      sut,
      channel.id,
      inboundBody({ id: 'wh-1', chatId: 'crm-chat', from: { id: 'crm-user' }, text: 'Where is my order?' }),
    ).expect(200);

    await eventually(async () => received('/crm').length >= 4);
    const { rows } = await sut.db.query(
      `SELECT c.id AS "chatId", c.contact_id AS "contactId" FROM chats c WHERE c.channel_id = $1`,
      [channel.id],
    );
    const { chatId, contactId } = rows[0];
    const bodies = Object.fromEntries(received('/crm').map((delivery) => [delivery.json().type, delivery.json()]));
    expect(Object.keys(bodies).sort()).toEqual([
      'chat.created',
      'contact.created',
      'contact.updated',
      'message.created',
    ]);
    expect(bodies['contact.created'].data).toEqual({
      contactId,
      name: '[New Contact][Shop site]-crm-user',
      channelId: channel.id,
      externalUserId: 'crm-user',
    });
    expect(bodies['chat.created'].data).toEqual({
      chatId,
      channelId: channel.id,
      contactId,
      queueId: null,
      externalChatId: 'crm-chat',
    });
    expect(bodies['message.created'].data).toEqual({
      chatId,
      channelId: channel.id,
      contactId,
      messageId: expect.stringMatching(/^\d+$/),
      direction: 'in',
      text: 'Where is my order?',
    });
    expect(bodies['contact.updated'].data).toEqual({
      contactId,
      name: 'Grace Hopper',
      avatarUrl: 'https://example.com/grace.png',
    });
    for (const delivery of received('/crm')) {
      expectValidSignature(delivery, crm.secret!);
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(Object.keys(delivery.json())).toEqual(['type', 'timestamp', 'data']);
      expect(new Date(delivery.json().timestamp).toISOString()).toBe(delivery.json().timestamp);
    }
    const ids = received('/crm').map((delivery) => delivery.headers['webhook-id']);
    expect(new Set(ids).size).toBe(4);

    const log = await eventually(async () => {
      const deliveries = await deliveryLog(crm.id);
      const done =
        deliveries.length === 4 && deliveries.every((delivery: { status: string }) => delivery.status === 'delivered');
      return done && deliveries;
    });
    expect(log).toHaveLength(4);
    expect(log[0]).toMatchObject({ eventType: 'contact.updated', attempts: 1, lastStatusCode: 204, lastError: null });
    expect(log.map((delivery: { webhookId: string }) => delivery.webhookId).sort()).toEqual([...ids].sort());
    expect(log.find((delivery: { eventType: string }) => delivery.eventType === 'message.created').payload).toEqual(
      bodies['message.created'],
    );

    // The integration-only events reach no agent on the event stream, whatever queues they belong to.
    const integrationEvents = await sut.db.query(
      `SELECT type, chat_id AS "chatId", operator_id AS "operatorId", queue_id AS "queueId", payload
         FROM chat_events WHERE type IN ('chat.created', 'contact.created', 'contact.updated')`,
    );
    const allQueues = new Set((await sut.db.query(`SELECT id FROM queues`)).rows.map((row) => row.id as string));
    expect(integrationEvents.rows.length).toBeGreaterThanOrEqual(3);
    for (const event of integrationEvents.rows) {
      expect(event).toMatchObject({ chatId: null, operatorId: null, queueId: null });
      expect(isChatEventForOperator(event, 'any-operator', allQueues)).toBe(false);
    }
  });

  it('sends a subscription only the events it asked for, assignments and closes included', async () => {
    const alice = await createOperator(sut, 'Alice');
    const channelId = await createTestChannel(sut, await createQueue(sut, 'manual', [alice]));
    const messages = await subscribe('/messages-only', ['message.created']);
    const lifecycle = await subscribe('/lifecycle', ['chat.assigned', 'chat.closed']);
    receiver.on('POST', '/messages-only', () => ({ status: 200 }));
    receiver.on('POST', '/lifecycle', () => ({ status: 200 }));

    const chatId = await customerWrites(sut, channelId, 'filtered', 'hi there');
    await as(sut, alice).post(`/chats/${chatId}/accept`).expect(200);
    await as(sut, alice).post(`/chats/${chatId}/close`).expect(200);

    await eventually(async () => received('/lifecycle').length >= 2 && received('/messages-only').length >= 1);
    // Nothing else may arrive: a subscription hears only the events it asked for.
    await quietPeriod();
    expect(typesAt('/messages-only')).toEqual(['message.created']);
    expect(received('/messages-only')[0].json().data).toMatchObject({ chatId, text: 'hi there', direction: 'in' });
    expect(typesAt('/lifecycle').sort()).toEqual(['chat.assigned', 'chat.closed']);
    const lifecycleBodies = received('/lifecycle').map((delivery) => delivery.json());
    expect(lifecycleBodies.find((body) => body.type === 'chat.assigned').data).toMatchObject({
      chatId,
      operatorId: alice.id,
    });
    expect(lifecycleBodies.find((body) => body.type === 'chat.closed').data).toMatchObject({
      chatId,
      operatorId: alice.id,
    });
    received('/lifecycle').forEach((delivery) => expectValidSignature(delivery, lifecycle.secret!));
    expect(await deliveryLog(messages.id)).toHaveLength(1);
  });

  it('retries a receiver that answered 500, under the same webhook-id, and logs both attempts', async () => {
    const flaky = await subscribe('/flaky', ['message.created']);
    receiver.queue('POST', '/flaky', { status: 500, body: { error: 'database down' } });
    receiver.on('POST', '/flaky', () => ({ status: 200 }));
    const channelId = await createTestChannel(sut, null);

    await customerWrites(sut, channelId, 'retry-me');

    await eventually(async () => received('/flaky').length === 2);
    const [first, second] = received('/flaky');
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.rawBody.equals(first.rawBody)).toBe(true);
    expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(90);
    expectValidSignature(first, flaky.secret!);
    expectValidSignature(second, flaky.secret!);
    const [delivery] = await eventually(async () => {
      const log = await deliveryLog(flaky.id);
      return log[0]?.status === 'delivered' && log;
    });
    expect(delivery).toMatchObject({
      webhookId: first.headers['webhook-id'],
      attempts: 2,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
    });
    expect((await subscription(flaky.id)).active).toBe(true);
  });

  it('replays a delivery under the same webhook-id, signed with the current secret', async () => {
    const crm = await subscribe('/replayed', ['message.created']);
    receiver.on('POST', '/replayed', () => ({ status: 200 }));
    const channelId = await createTestChannel(sut, null);
    await customerWrites(sut, channelId, 'replay-me');
    const [delivered] = await eventually(async () => {
      const log = await deliveryLog(crm.id);
      return log[0]?.status === 'delivered' && log;
    });
    const rotated = `whsec_${Buffer.alloc(32, 5).toString('base64')}`;
    const patched = await sut.admin().patch(`/admin/webhook-subscriptions/${crm.id}`).send({ secret: rotated });
    expect(patched.status).toBe(200);
    expect(JSON.stringify(patched.body)).not.toContain(rotated.slice('whsec_'.length));

    await sut.admin().post(`/admin/webhook-deliveries/${delivered.id}/replay`).expect(202, { queued: true });

    await eventually(async () => received('/replayed').length === 2);
    const [original, replayed] = received('/replayed');
    expect(replayed.headers['webhook-id']).toBe(original.headers['webhook-id']);
    expect(replayed.rawBody.equals(original.rawBody)).toBe(true);
    expectValidSignature(original, crm.secret!);
    expectValidSignature(replayed, rotated);
    await eventually(async () => (await deliveryLog(crm.id))[0].status === 'delivered');
  });

  it('pauses a subscription that keeps failing, holds its deliveries, and sends them once resumed', async () => {
    const down = await subscribe('/down', ['message.created']);
    // A timeout, then a 503: two failures in a row, the second past the retry window (see TEST_POLICY).
    receiver.queue('POST', '/down', { status: 200, delayMs: 1_500 });
    receiver.on('POST', '/down', () => ({ status: 503, body: { error: 'maintenance' } }));
    const channelId = await createTestChannel(sut, null);
    await customerWrites(sut, channelId, 'down-1', 'first');

    const paused = await eventually(async () => {
      const current = await subscription(down.id);
      return !current.active && current;
    });
    expect(paused.pausedReason).toMatch(/^Paused after 2 failed attempts in a row .*HTTP 503.*maintenance/);
    expect(paused.pausedReason).toContain('PATCH {"active": true}');
    const [failed] = await deliveryLog(down.id, '?status=failed');
    expect(failed).toMatchObject({ attempts: 2, lastStatusCode: 503, nextAttemptAt: null });
    expect(received('/down')).toHaveLength(2);

    await customerWrites(sut, channelId, 'down-1', 'second');
    const held = await eventually(async () => {
      const pending = await deliveryLog(down.id, '?status=pending');
      return pending.length === 1 && pending[0];
    });
    // Held while paused: nothing may arrive, however many passes the workers make.
    await quietPeriod();
    expect(received('/down')).toHaveLength(2);
    expect(held).toMatchObject({ attempts: 0, eventType: 'message.created', nextAttemptAt: null });
    const refused = await sut.admin().post(`/admin/webhook-deliveries/${failed.id}/replay`).expect(409);
    expect(refused.body.message).toContain('paused');

    receiver.on('POST', '/down', () => ({ status: 200 }));
    const resumed = await sut.admin().patch(`/admin/webhook-subscriptions/${down.id}`).send({ active: true });
    expect(resumed.body).toMatchObject({ active: true, pausedReason: null });
    await eventually(async () => received('/down').length === 3);
    expect(received('/down')[2].json().data.text).toBe('second');
    await sut.admin().post(`/admin/webhook-deliveries/${failed.id}/replay`).expect(202);
    await eventually(async () => received('/down').length === 4);
    expect(received('/down')[3].json().data.text).toBe('first');
    const log = await eventually(async () => {
      const deliveries = await deliveryLog(down.id, '?status=delivered&limit=10');
      return deliveries.length === 2 && deliveries;
    });
    expect(log.map((delivery: { payload: { data: { text: string } } }) => delivery.payload.data.text)).toEqual([
      'second',
      'first',
    ]);
    await sut.admin().get(`/admin/webhook-subscriptions/${down.id}/deliveries?status=lost`).expect(400);
    await sut.admin().get(`/admin/webhook-subscriptions/${down.id}/deliveries?limit=0`).expect(400);
  });

  it('pauses at once a subscription whose receiver answers 410 Gone', async () => {
    const gone = await subscribe('/gone', ['message.created']);
    receiver.on('POST', '/gone', () => ({ status: 410 }));
    const channelId = await createTestChannel(sut, null);

    await customerWrites(sut, channelId, 'gone');

    const paused = await eventually(async () => {
      const current = await subscription(gone.id);
      return !current.active && current;
    });
    expect(paused.pausedReason).toMatch(/410 Gone/);
    expect(received('/gone')).toHaveLength(1);
    expect(await deliveryLog(gone.id)).toEqual([
      expect.objectContaining({ status: 'pending', attempts: 1, lastStatusCode: 410, nextAttemptAt: null }),
    ]);
  });

  it('does not skip an event whose transaction commits after a newer event', async () => {
    const crm = await subscribe('/late-commit', ['message.created']);
    receiver.on('POST', '/late-commit', () => ({ status: 200 }));
    const channelId = await createTestChannel(sut, null);
    const chatId = await customerWrites(sut, channelId, 'late-commit', 'first');
    await eventually(async () => received('/late-commit').length === 1);
    const slowWriter = new Client({ connectionString: sut.databaseUrl });
    await slowWriter.connect();
    try {
      await slowWriter.query('BEGIN');
      // Takes its event id now, commits after the next customer message has committed a higher one.
      await slowWriter.query(`INSERT INTO chat_events (type, chat_id, payload) VALUES ('message.created', $1, $2)`, [
        chatId,
        { chatId, messageId: '1', direction: 'out', text: 'committed late' },
      ]);
      await customerWrites(sut, channelId, 'late-commit', 'second');
      // The fan-out makes passes while the older writer is open: none may skip its id.
      await quietPeriod();
      await slowWriter.query('COMMIT');
    } finally {
      await slowWriter.end();
    }

    await eventually(async () => received('/late-commit').length === 3);
    const texts = received('/late-commit').map((delivery) => delivery.json().data.text as string);
    expect(texts.sort()).toEqual(['committed late', 'first', 'second']);
    expect(await deliveryLog(crm.id)).toHaveLength(3);
  });

  it('lets an admin pause and resume by hand, and delete a subscription with its log', async () => {
    const crm = await subscribe('/by-hand', ['message.created']);
    receiver.on('POST', '/by-hand', () => ({ status: 200 }));
    const channelId = await createTestChannel(sut, null);

    const paused = await sut.admin().patch(`/admin/webhook-subscriptions/${crm.id}`).send({ active: false });
    expect(paused.body).toMatchObject({ active: false, pausedReason: 'Paused by an admin' });
    await customerWrites(sut, channelId, 'by-hand');
    await eventually(async () => (await deliveryLog(crm.id)).length === 1);
    // Paused by hand: the delivery is logged, and nothing may arrive.
    await quietPeriod();
    expect(received('/by-hand')).toHaveLength(0);
    await sut.admin().patch(`/admin/webhook-subscriptions/${crm.id}`).send({ active: true }).expect(200);
    await eventually(async () => received('/by-hand').length === 1);

    await sut.admin().delete(`/admin/webhook-subscriptions/${crm.id}`).expect(204);
    await sut.admin().get(`/admin/webhook-subscriptions/${crm.id}`).expect(404);
    await sut.admin().delete(`/admin/webhook-subscriptions/${crm.id}`).expect(404);
    const left = await sut.db.query(`SELECT count(*) FROM webhook_deliveries WHERE subscription_id = $1`, [crm.id]);
    expect(Number(left.rows[0].count)).toBe(0);
  });

  it('refuses private network addresses unless ALLOW_PRIVATE_NETWORK_FETCH is set', async () => {
    const allowed = await subscribe('/private', ['message.created']);
    const env = sut.app.get(AppConfig).env;
    env.ALLOW_PRIVATE_NETWORK_FETCH = false;
    try {
      const refused = await sut
        .admin()
        .post('/admin/webhook-subscriptions')
        .send({ url: `${receiver.url}/private`, events: ['message.created'] })
        .expect(400);
      expect(refused.body).toMatchObject({ field: 'url', message: expect.stringContaining('private network') });
      const channelId = await createTestChannel(sut, null);
      await customerWrites(sut, channelId, 'private');
      const [delivery] = await eventually(async () => {
        const log = await deliveryLog(allowed.id);
        return log[0]?.lastError ? log : undefined;
      });
      expect(delivery.lastError).toMatch(/refused to connect to 127\.0\.0\.1: it is a private network address/);
      expect(received('/private')).toHaveLength(0);
    } finally {
      env.ALLOW_PRIVATE_NETWORK_FETCH = true;
    }
  });
});
