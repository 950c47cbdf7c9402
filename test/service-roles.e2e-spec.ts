import { SERVICE_START_TIMEOUT_MS, ServiceProcess, startServiceOn } from './support/service-process';
import { eventually } from './support/eventually';
import { ADMIN_TOKEN } from './support/test-app';
import { createTestDatabase } from './support/test-database';

// At most one service start in each hook or test, and the requests around it.
jest.setTimeout(SERVICE_START_TIMEOUT_MS + 30_000);

const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };

/** SERVICE_ROLE: an api instance serves HTTP and runs no background work; a worker does the work. */
describe('Service roles (api and worker on one Postgres)', () => {
  let database: { url: string; drop(): Promise<void> };
  let api: { service: ServiceProcess; url: string };
  let worker: { service: ServiceProcess; url: string } | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startServiceOn(database.url, { SERVICE_ROLE: 'api' });
  });

  afterAll(async () => {
    api?.service.kill();
    worker?.service.kill();
    await database.drop();
  });

  async function sendReplyThroughApi(): Promise<{ chatId: string; messageId: string }> {
    const created = await fetch(`${api.url}/admin/channels`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'Roles', provider: 'test', settings: { token: 'roles-token' } }),
    });
    expect(created.status).toBe(201);
    const channel = (await created.json()) as { id: string };
    const inbound = await fetch(`${api.url}/webhooks/${channel.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-token': 'roles-token' },
      body: JSON.stringify({ id: 'r-1', chatId: 'c-1', userId: 'u-1', text: 'Hello' }),
    });
    expect(inbound.status).toBe(200);
    const chats = (await (await fetch(`${api.url}/chats`, { headers: admin })).json()) as { items: { id: string }[] };
    const chatId = chats.items[0].id;
    const reply = await fetch(`${api.url}/chats/${chatId}/messages`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ text: 'Hi there', clientMessageId: 'roles-1' }),
    });
    expect(reply.status).toBe(202);
    return { chatId, messageId: ((await reply.json()) as { id: string }).id };
  }

  async function statusOf(chatId: string, messageId: string): Promise<string> {
    const page = (await (await fetch(`${api.url}/chats/${chatId}/messages`, { headers: admin })).json()) as {
      items: { id: string; status: string }[];
    };
    return page.items.find((message) => message.id === messageId)!.status;
  }

  it('an api instance runs only the event reader of its own SSE streams, and leaves replies queued', async () => {
    expect(api.service.stdout).toMatch(/role api: running chat-events-reader\b(?!,)/);
    const { chatId, messageId } = await sendReplyThroughApi();
    expect(await statusOf(chatId, messageId)).toBe('queued');

    worker = await startServiceOn(database.url, { SERVICE_ROLE: 'worker', WORKER_POLL_INTERVAL_MS: '100' });
    expect(worker.service.stdout).toMatch(/role worker: running .*outbox/);
    expect(worker.service.stdout).not.toMatch(/role worker: running .*chat-events-reader/);
    await eventually(async () => (await statusOf(chatId, messageId)) === 'sent');
  });

  it('a worker instance answers health checks and metrics, and refuses the API with a JSON 404', async () => {
    expect(worker).toBeDefined();
    expect((await fetch(`${worker!.url}/health`)).status).toBe(200);
    expect((await fetch(`${worker!.url}/metrics`, { headers: admin })).status).toBe(200);
    const refused = await fetch(`${worker!.url}/admin/channels`, { headers: admin });
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/SERVICE_ROLE=worker/),
    });
    expect(
      (await fetch(`${worker!.url}/webhooks/00000000-0000-0000-0000-000000000000`, { method: 'POST' })).status,
    ).toBe(404);
  });
});
