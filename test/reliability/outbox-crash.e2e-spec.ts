import { Client } from 'pg';
import { signBody } from '../../src/providers/webhook/webhook.signature';
import { FakeReceiver, RecordedRequest } from '../support/fake-receiver';
import { SERVICE_START_TIMEOUT_MS, ServiceProcess, startServiceOn } from '../support/service-process';
import { createTestDatabase } from '../support/test-database';
import { eventually } from '../support/eventually';
import { ADMIN_TOKEN } from '../support/test-app';
import { inboundBody, WEBHOOK_SECRET } from '../support/webhook-channel';

// Two service starts, and the sends and exits around them.
jest.setTimeout(2 * SERVICE_START_TIMEOUT_MS + 60_000);

/**
 * Promise 2, at least once out and never twice: the real service in a child process is killed
 * with SIGKILL while replies are in flight, and with replies committed but not yet sent; a new
 * process finishes the work. The fake receiver applies each messageId once, as the webhook
 * format asks receivers to, so a resend after an unknown outcome cannot duplicate a message.
 */
describe('Outbox under SIGKILL (promise 2)', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Client;
  let receiver: FakeReceiver;
  const services: ServiceProcess[] = [];
  const applied = new Map<string, string>();
  let hangDeliveries = true;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    receiver = await FakeReceiver.start();
    receiver.on('POST', '/outbound', (request: RecordedRequest) => {
      const { messageId } = request.json() as { messageId: string };
      if (!applied.has(messageId)) applied.set(messageId, `ext-${applied.size + 1}`);
      return { status: 200, body: { id: applied.get(messageId) }, delayMs: hangDeliveries ? 60_000 : 0 };
    });
  });

  afterAll(async () => {
    for (const service of services) service.kill();
    await receiver.stop();
    await db.end();
    await database.drop();
  });

  async function startService(): Promise<{ service: ServiceProcess; url: string }> {
    const started = await startServiceOn(database.url, {
      PROVIDER_HTTP_TIMEOUT_MS: '1000',
      WORKER_POLL_INTERVAL_MS: '100',
    });
    services.push(started.service);
    return started;
  }

  const api = (url: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('delivers every reply exactly once after kills mid-send and between commit and send', async () => {
    const first = await startService();
    const channel = (await (
      await api(first.url, '/admin/channels', {
        name: 'Crash test',
        provider: 'webhook',
        settings: { url: `${receiver.url}/outbound`, secret: WEBHOOK_SECRET },
      })
    ).json()) as { id: string };
    const inbound = inboundBody({ id: 'customer-1', chatId: 'crash-chat' });
    const posted = await fetch(`${first.url}/webhooks/${channel.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature-256': signBody(inbound, WEBHOOK_SECRET) },
      body: inbound,
    });
    expect(posted.status).toBe(200);
    const chatId = (await db.query(`SELECT id FROM chats WHERE channel_id = $1`, [channel.id])).rows[0].id as string;

    // Mid-send: five replies whose requests reach the receiver and never get an answer.
    for (let i = 1; i <= 5; i++) {
      expect(
        (await api(first.url, `/chats/${chatId}/messages`, { text: `in flight ${i}`, clientMessageId: `f-${i}` }))
          .status,
      ).toBe(202);
    }
    await eventually(async () => receiver.received('POST', '/outbound').length === 5);
    first.service.kill();
    await first.service.exitWithin(5_000);

    // Between commit and send: five replies committed by a process that died before sending them.
    await db.query(
      `WITH numbered AS (SELECT n, last_seq + n AS seq FROM chats, generate_series(1, 5) AS n WHERE id = $1),
       inserted AS (
         INSERT INTO messages (chat_id, seq, channel_id, direction, sender_type, text, status, client_message_id, next_attempt_at)
         SELECT $1, seq, $2, 'out', 'supervisor', 'committed ' || n, 'queued', 'c-' || n, now() FROM numbered RETURNING seq)
       UPDATE chats SET last_seq = (SELECT max(seq) FROM inserted) WHERE id = $1`,
      [chatId, channel.id],
    );
    hangDeliveries = false;

    const second = await startService();
    const outcome = await eventually(async () => {
      const { rows } = await db.query(
        `SELECT client_message_id, status, provider_message_id FROM messages WHERE chat_id = $1 AND direction = 'out' ORDER BY seq`,
        [chatId],
      );
      return rows.every((row) => row.status === 'sent') && rows;
    }, 30_000);

    expect(outcome).toHaveLength(10);
    expect(applied.size).toBe(10);
    const appliedIds = new Set(applied.values());
    for (const row of outcome) expect(appliedIds.has(row.provider_message_id)).toBe(true);
    const requestsPerMessage = new Map<string, number>();
    for (const request of receiver.received('POST', '/outbound')) {
      const { messageId } = request.json() as { messageId: string };
      requestsPerMessage.set(messageId, (requestsPerMessage.get(messageId) ?? 0) + 1);
    }
    // The five in flight were sent again with the same messageId (their outcome was unknown); the rest once.
    expect([...requestsPerMessage.values()].sort()).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);

    second.service.child.kill('SIGTERM');
    expect(await second.service.exitWithin(15_000)).toEqual({ code: 0, signal: null });
  });
});
