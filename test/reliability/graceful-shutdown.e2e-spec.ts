import { Client } from 'pg';
import { signBody } from '../../src/providers/webhook/webhook.signature';
import { FakeReceiver } from '../support/fake-receiver';
import { SERVICE_START_TIMEOUT_MS, ServiceProcess, startServiceOn } from '../support/service-process';
import { eventually } from '../support/eventually';
import { ADMIN_TOKEN } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';
import { inboundBody, WEBHOOK_SECRET } from '../support/webhook-channel';

// One service start, then a slow download and the shutdown.
jest.setTimeout(SERVICE_START_TIMEOUT_MS + 30_000);

/** Promise 8: SIGTERM lets the work in progress finish, then the process exits cleanly. */
describe('Graceful shutdown', () => {
  let database: { url: string; drop(): Promise<void> };
  let receiver: FakeReceiver;
  let service: ServiceProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await FakeReceiver.start();
    receiver.on('GET', '/slow.pdf', () => ({
      status: 200,
      body: Buffer.from('%PDF-slow'),
      headers: { 'content-type': 'application/pdf' },
      delayMs: 2_000,
    }));
  });

  afterAll(async () => {
    service?.kill();
    await receiver.stop();
    await database.drop();
  });

  it('finishes an attachment download in progress on SIGTERM, then exits 0 and takes no more requests', async () => {
    let url: string;
    ({ service, url } = await startServiceOn(database.url, {
      ALLOW_PRIVATE_NETWORK_FETCH: 'true',
      WORKER_POLL_INTERVAL_MS: '100',
    }));
    const channel = (await (
      await fetch(`${url}/admin/channels`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'Shutdown',
          provider: 'webhook',
          settings: { url: `${receiver.url}/out`, secret: WEBHOOK_SECRET },
        }),
      })
    ).json()) as { id: string };
    const body = inboundBody({
      id: 'with-slow-file',
      attachments: [{ url: `${receiver.url}/slow.pdf`, type: 'document' }],
    });
    const posted = await fetch(`${url}/webhooks/${channel.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature-256': signBody(body, WEBHOOK_SECRET) },
      body,
    });
    expect(posted.status).toBe(200);
    await eventually(async () => receiver.received('GET', '/slow.pdf').length === 1);

    service.child.kill('SIGTERM');
    expect(await service.exitWithin(15_000)).toEqual({ code: 0, signal: null });
    expect(service.stdout).toContain('SIGTERM: finishing in-flight work, then stopping');
    await expect(fetch(`${url}/health`)).rejects.toThrow();

    const db = new Client({ connectionString: database.url });
    await db.connect();
    const { rows } = await db.query(`SELECT status, size FROM message_files`);
    await db.end();
    expect(rows).toEqual([{ status: 'stored', size: '9' }]);
  });
});
