import request from 'supertest';
import { TelegramFakeApi } from '../fakes/telegram-api';
import { FakeReceiver } from '../support/fake-receiver';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';
import { registerWebhookChannel, WEBHOOK_SECRET } from '../support/webhook-channel';

const TELEGRAM_TOKEN = '7012345678:AAHsecretsAtRestToken_0123456789abcdefXY';
const SANDBOX_TOKEN = 'sandbox-token-at-rest-42';

/** Promise 6: a dump of every table shows no usable secret. */
describe('Secrets at rest', () => {
  let sut: TestApp;
  let receiver: FakeReceiver;
  let telegram: TelegramFakeApi;

  beforeAll(async () => {
    sut = await startTestApp({ PUBLIC_URL: 'https://chat.example.com' });
    receiver = await FakeReceiver.start();
    telegram = await TelegramFakeApi.start(TELEGRAM_TOKEN);
  });

  afterAll(async () => {
    await sut.close();
    await receiver.stop();
    await telegram.stop();
  });

  /** Every row of every table in the public schema, as text: what `pg_dump --data-only` would reveal. */
  async function dumpEverything(): Promise<string> {
    const tables = await sut.db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
    const parts: string[] = [];
    for (const { tablename } of tables.rows) {
      const rows = await sut.db.query(`SELECT row_to_json(t)::text AS row FROM "${tablename}" t`);
      parts.push(...rows.rows.map((row) => row.row as string));
    }
    return parts.join('\n');
  }

  it('keeps channel secrets encrypted, operator tokens hashed, and the admin token out of the database', async () => {
    await registerWebhookChannel(sut, receiver);
    await sut
      .admin()
      .post('/admin/channels')
      .send({ name: 'Sandbox', provider: 'test', settings: { token: SANDBOX_TOKEN } })
      .expect(201);
    await sut
      .admin()
      .post('/admin/channels')
      .send({ name: 'Bot', provider: 'telegram', settings: { token: TELEGRAM_TOKEN, apiBaseUrl: telegram.url } })
      .expect(201);
    const webhookSecretToken = String(telegram.bodiesOf('setWebhook').at(-1)!.secret_token);
    const operator = await sut
      .admin()
      .post('/admin/operators')
      .send({ name: 'Ann', email: 'ann@example.com' })
      .expect(201);
    await request(sut.app.getHttpServer())
      .get('/operators/me')
      .auth(operator.body.token, { type: 'bearer' })
      .expect(200);

    const dump = await dumpEverything();
    expect(dump.length).toBeGreaterThan(1000);
    for (const secret of [
      WEBHOOK_SECRET,
      SANDBOX_TOKEN,
      TELEGRAM_TOKEN,
      TELEGRAM_TOKEN.split(':')[1],
      webhookSecretToken,
      operator.body.token,
      ADMIN_TOKEN,
    ]) {
      expect(dump).not.toContain(secret);
    }
    expect(dump.match(/aes256gcm:v1:/g)?.length).toBeGreaterThanOrEqual(4);
  });
});
