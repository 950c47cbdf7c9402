import request from 'supertest';
import { createTestChannel, customerWrites } from './support/agent-setup';
import { startTestApp, TestApp } from './support/test-app';

describe('Health: /health/live and /health/ready', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({ READY_BACKLOG_LIMIT: '2' });
  });

  afterAll(async () => {
    await sut.close();
  });

  it('is live, and ready while the database answers, the schema is current and the backlog is small', async () => {
    await request(sut.app.getHttpServer())
      .get('/health/live')
      .expect(200, { status: 'ok', info: {}, error: {}, details: {} });
    const ready = await request(sut.app.getHttpServer()).get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      info: {
        database: { status: 'up' },
        migrations: { status: 'up' },
        backlog: { status: 'up', outbound: 0, jobs: 0, limit: 2 },
      },
    });
  });

  it('is not ready (503, with the failing check named) when replies pile up beyond READY_BACKLOG_LIMIT', async () => {
    const channelId = await createTestChannel(sut, null);
    const chatId = await customerWrites(sut, channelId, 'backlog');
    await sut.db.query(`UPDATE channels SET active = false WHERE id = $1`, [channelId]);
    for (let i = 0; i < 3; i++)
      await sut
        .admin()
        .post(`/chats/${chatId}/messages`)
        .send({ text: `r${i}`, clientMessageId: `b${i}` })
        .expect(202);
    const notReady = await request(sut.app.getHttpServer()).get('/health/ready').expect(503);
    expect(notReady.body).toEqual({ statusCode: 503, code: 'NOT_READY', message: 'Not ready: backlog' });
    await request(sut.app.getHttpServer()).get('/health/live').expect(200);
  });
});
