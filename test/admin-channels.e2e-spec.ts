import request from 'supertest';
import { FakeReceiver } from './support/fake-receiver';
import { ADMIN_TOKEN, startTestApp, TestApp } from './support/test-app';
import { registerWebhookChannel, WEBHOOK_SECRET } from './support/webhook-channel';

describe('Admin API: channels and providers', () => {
  let sut: TestApp;
  let receiver: FakeReceiver;

  beforeAll(async () => {
    sut = await startTestApp();
    receiver = await FakeReceiver.start();
  });

  afterAll(async () => {
    await sut.close();
    await receiver.stop();
  });

  const countChannels = async () => Number((await sut.db.query('SELECT count(*) FROM channels')).rows[0].count);

  it('refuses requests without the admin token', async () => {
    const response = await request(sut.app.getHttpServer()).get('/admin/channels').expect(401);
    expect(response.body).toEqual({ statusCode: 401, code: 'UNAUTHORIZED', message: expect.any(String) });
    await request(sut.app.getHttpServer()).get('/admin/channels').auth('wrong', { type: 'bearer' }).expect(401);
  });

  it('lists the registered providers, kept in channel_providers', async () => {
    const response = await sut.admin().get('/admin/providers').expect(200);
    const codes: string[] = response.body.map((provider: { code: string }) => provider.code);
    expect(codes).toEqual([...codes].sort());
    expect(codes).toEqual(expect.arrayContaining(['test', 'webhook']));
    expect(response.body.find((provider: { code: string }) => provider.code === 'webhook')).toMatchObject({
      name: 'Custom webhook',
      available: true,
      capabilities: { maxTextLength: 20000 },
    });
  });

  it('registers a webhook channel and never returns or stores its secret in clear', async () => {
    const response = await sut
      .admin()
      .post('/admin/channels')
      .send({
        name: 'Shop',
        provider: 'webhook',
        settings: { url: `${receiver.url}/outbound`, secret: WEBHOOK_SECRET },
      })
      .expect(201);
    expect(response.body).toMatchObject({
      id: expect.any(String),
      name: 'Shop',
      provider: 'webhook',
      source: null,
      status: { active: true, connected: true, registered: true, error: null },
      webhookUrl: expect.stringMatching(new RegExp(`/webhooks/${response.body.id}$`)),
      settings: { url: `${receiver.url}/outbound`, secret: '********' },
    });
    expect(JSON.stringify(response.body)).not.toContain(WEBHOOK_SECRET);
    const listed = await sut.admin().get('/admin/channels').expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(WEBHOOK_SECRET);
    const stored = await sut.db.query('SELECT settings::text AS settings FROM msg_settings');
    expect(stored.rows[0].settings).toContain('aes256gcm:v1:');
    expect(stored.rows[0].settings).not.toContain(WEBHOOK_SECRET);
  });

  it.each([
    [{ name: 'x', provider: 'webhook', settings: { url: 'not a url', secret: WEBHOOK_SECRET } }, 'settings.url'],
    [{ name: 'x', provider: 'webhook', settings: { url: 'http://127.0.0.1/x', secret: 'short' } }, 'settings.secret'],
    [
      { name: 'x', provider: 'webhook', settings: { url: 'http://127.0.0.1/x', secret: WEBHOOK_SECRET, extra: 1 } },
      'settings.extra',
    ],
    [{ name: 'x', provider: 'nope', settings: {} }, 'provider'],
    [{ provider: 'webhook', settings: {} }, 'name'],
  ])('refuses bad settings %#, naming the field, and stores nothing', async (body, field) => {
    const before = await countChannels();
    const response = await sut.admin().post('/admin/channels').send(body).expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', field });
    expect(await countChannels()).toBe(before);
  });

  it('updates settings by merging, keeping the secret that was not sent again', async () => {
    const channel = await registerWebhookChannel(sut, receiver);
    const response = await sut
      .admin()
      .patch(`/admin/channels/${channel.id}`)
      .send({ name: 'Renamed', settings: { url: `${receiver.url}/elsewhere` } })
      .expect(200);
    expect(response.body).toMatchObject({
      name: 'Renamed',
      settings: { url: `${receiver.url}/elsewhere`, secret: '********' },
    });
    await sut
      .admin()
      .patch(`/admin/channels/${channel.id}`)
      .send({ settings: { url: 'ftp://x' } })
      .expect(400);
    const unchanged = await sut.admin().get(`/admin/channels/${channel.id}`).expect(200);
    expect(unchanged.body.settings.url).toBe(`${receiver.url}/elsewhere`);
  });

  it('tests a channel: reachable receiver, then an unreachable one, disconnected but not in error', async () => {
    receiver.on('HEAD', '/outbound', () => ({ status: 200 }));
    const channel = await registerWebhookChannel(sut, receiver);
    await sut.admin().post(`/admin/channels/${channel.id}/test`).expect(200, { ok: true });

    await sut
      .admin()
      .patch(`/admin/channels/${channel.id}`)
      .send({ settings: { url: 'http://127.0.0.1:1/closed' } })
      .expect(200);
    const failed = await sut.admin().post(`/admin/channels/${channel.id}/test`).expect(200);
    expect(failed.body).toMatchObject({
      ok: false,
      error: { code: 'TEMPORARY', message: expect.stringContaining('ECONNREFUSED') },
    });
    const status = await sut.admin().get(`/admin/channels/${channel.id}`).expect(200);
    expect(status.body.status).toMatchObject({ connected: false, error: null });
  });

  it('deletes a channel: gone from the API, its webhook answers 404', async () => {
    const channel = await registerWebhookChannel(sut, receiver);
    await sut.admin().delete(`/admin/channels/${channel.id}`).expect(204);
    await sut.admin().get(`/admin/channels/${channel.id}`).expect(404);
    await request(sut.app.getHttpServer()).post(`/webhooks/${channel.id}`).send({ messages: [] }).expect(404);
  });

  it('answers 404 for ids that do not exist or are not ids', async () => {
    await sut.admin().get('/admin/channels/00000000-0000-4000-8000-000000000000').expect(404);
    const response = await sut.admin().get('/admin/channels/not-an-id').expect(404);
    expect(response.body.code).toBe('NOT_FOUND');
  });

  it('keeps the admin token out of every response', async () => {
    const response = await sut.admin().get('/admin/channels').expect(200);
    expect(JSON.stringify(response.body)).not.toContain(ADMIN_TOKEN);
  });
});
