import { signBody } from '../src/providers/webhook/webhook.signature';
import { FakeReceiver } from './support/fake-receiver';
import { SERVICE_START_TIMEOUT_MS, ServiceProcess, startServiceOn } from './support/service-process';
import { eventually } from './support/eventually';
import { ADMIN_TOKEN } from './support/test-app';
import { createTestDatabase } from './support/test-database';
import { inboundBody, WEBHOOK_SECRET } from './support/webhook-channel';

interface LogLine {
  level: number;
  msg: string;
  req?: { id: string; url: string };
  context?: string;
  channelId?: string;
}

// One service start per test, then a few requests and their logs.
jest.setTimeout(SERVICE_START_TIMEOUT_MS + 30_000);

function logLines(service: ServiceProcess): LogLine[] {
  return service.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogLine);
}

/** Structured logs from the real process: JSON lines with request ids, no secrets, no message text. */
describe('Logs', () => {
  let database: { url: string; drop(): Promise<void> };
  let receiver: FakeReceiver;
  let service: ServiceProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await FakeReceiver.start();
    receiver.on('POST', '/out', () => ({ status: 200, body: { id: 'logged' } }));
  });

  afterAll(async () => {
    service?.kill();
    await receiver.stop();
    await database.drop();
  });

  // Changed with the move to Fastify: a quick success is a debug line; it used to be written at every level.
  it('writes no line for a quick success at the default level, but one with its request id for a refused request', async () => {
    service?.kill();
    let url: string;
    ({ service, url } = await startServiceOn(database.url));
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    expect((await fetch(`${url}/admin/channels`, { headers: admin })).status).toBe(200);
    const refused = await fetch(`${url}/admin/channels`, { headers: { 'x-request-id': 'refused-7' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-request-id')).toBe('refused-7');
    await eventually(async () => service.stdout.includes('refused-7'));

    const requestLines = logLines(service).filter((line) => line.req?.url === '/admin/channels');
    expect(requestLines).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request completed',
        req: expect.objectContaining({ id: 'refused-7' }),
      }),
    ]);
  });

  it('writes JSON lines with a request id, provider calls with durations, debug MessageManager lines, and nothing secret', async () => {
    service?.kill();
    let url: string;
    ({ service, url } = await startServiceOn(database.url, { LOG_LEVEL: 'debug' }));
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const channel = (await (
      await fetch(`${url}/admin/channels`, {
        method: 'POST',
        headers: { ...admin, 'x-request-id': 'trace-me-42' },
        body: JSON.stringify({
          name: 'Logs',
          provider: 'webhook',
          settings: { url: `${receiver.url}/out`, secret: WEBHOOK_SECRET },
        }),
      })
    ).json()) as { id: string };
    const body = inboundBody({ id: 'log-1', chatId: 'log-chat', text: 'my card number is 4111' });
    const signature = signBody(body, WEBHOOK_SECRET);
    await fetch(`${url}/webhooks/${channel.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature-256': signature },
      body,
    });
    await fetch(`${url}/webhooks/${channel.id}?hub.mode=subscribe&hub.verify_token=very-secret-verify&hub.challenge=1`);
    const chats = (await (await fetch(`${url}/chats`, { headers: admin })).json()) as { items: { id: string }[] };
    await fetch(`${url}/chats/${chats.items[0].id}/messages`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ text: 'reply with private details', clientMessageId: 'l-1' }),
    });
    await eventually(async () => receiver.received('POST', '/out').length === 1);
    await eventually(async () => service.stdout.includes('ProviderCall'));

    const lines = logLines(service);
    const traced = lines.filter((line) => line.req?.id === 'trace-me-42');
    // The request id travels with every line logged while serving that request.
    expect(traced.map((line) => line.msg)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^register webhook channel/), 'request completed']),
    );
    const webhookLog = lines.find(
      (line) => line.req?.url === `/webhooks/${channel.id}` && line.msg === 'request completed',
    );
    expect(webhookLog).toMatchObject({ channelId: channel.id, req: { id: expect.any(String) } });
    expect(lines.find((line) => line.req?.url.includes('hub.verify_token'))?.req?.url).toContain(
      'hub.verify_token=[redacted]',
    );
    expect(
      lines.some(
        (line) =>
          line.context === 'ProviderCall' && /POST http:\/\/127\.0\.0\.1:\d+\/out → 200 in \d+ ms/.test(line.msg),
      ),
    ).toBe(true);
    expect(
      lines.some(
        (line) =>
          line.context === 'MessageManager' &&
          line.msg.startsWith(`receive webhook channel ${channel.id}: 1 events → stored 1`),
      ),
    ).toBe(true);
    expect(lines.some((line) => line.context === 'MessageManager' && line.msg.includes('send chat'))).toBe(true);

    for (const secret of [ADMIN_TOKEN, WEBHOOK_SECRET, signature, 'very-secret-verify', '4111', 'private details']) {
      expect(service.stdout).not.toContain(secret);
    }
  });
});
