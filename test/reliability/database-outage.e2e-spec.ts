import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source.options';
import { ControllablePostgres } from '../support/controllable-postgres';
import { FakeReceiver } from '../support/fake-receiver';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';
import { inboundBody, postSigned, registerWebhookChannel } from '../support/webhook-channel';

/** Promise 8: while Postgres is away webhooks answer 503 (providers retry), and everything resumes after. */
describe('A brief database outage', () => {
  let postgres: ControllablePostgres;
  let sut: TestApp;
  let receiver: FakeReceiver;

  beforeAll(async () => {
    postgres = await ControllablePostgres.create();
    const admin = new Client({ connectionString: postgres.url() });
    await admin.connect();
    await admin.query('CREATE DATABASE omnichannel');
    await admin.end();
    const migrations = new DataSource(buildDataSourceOptions(postgres.url('omnichannel')));
    await migrations.initialize();
    await migrations.runMigrations();
    await migrations.destroy();
    sut = await startTestApp({}, postgres.url('omnichannel'));
    receiver = await FakeReceiver.start();
    receiver.on('POST', '/out', () => ({ status: 200, body: { id: 'delivered-after-outage' } }));
  }, 60_000);

  afterAll(async () => {
    await sut?.close();
    await receiver?.stop();
    await postgres?.destroy();
  });

  it('answers 503 while the database is down, loses nothing, and resumes when it is back', async () => {
    const channel = await registerWebhookChannel(sut, receiver, { url: `${receiver.url}/out` });
    await postSigned(sut, channel.id, inboundBody({ id: 'before', chatId: 'outage' })).expect(200);

    await postgres.stop();
    const refused = await postSigned(sut, channel.id, inboundBody({ id: 'during', chatId: 'outage' }));
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE' });
    await request(sut.app.getHttpServer()).get('/health').expect(503);

    await postgres.start();
    // The provider retries the refused delivery; now it is stored, once.
    await eventually(
      async () => (await postSigned(sut, channel.id, inboundBody({ id: 'during', chatId: 'outage' }))).status === 200,
    );
    await postSigned(sut, channel.id, inboundBody({ id: 'during', chatId: 'outage' })).expect(200, {
      stored: 0,
      duplicates: 1,
      statusUpdates: 0,
    });
    const db = new Client({ connectionString: postgres.url('omnichannel') });
    await db.connect();
    const { rows } = await db.query(`SELECT provider_message_id FROM messages ORDER BY seq`);
    expect(rows.map((row) => row.provider_message_id)).toEqual(['before', 'during']);

    // The outbox and the job runner carry on too.
    const chatId = (await db.query(`SELECT id FROM chats`)).rows[0].id;
    const reply = await sut
      .admin()
      .post(`/chats/${chatId}/messages`)
      .send({ text: 'back', clientMessageId: 'after' })
      .expect(202);
    await eventually(
      async () =>
        (await db.query(`SELECT status FROM messages WHERE id = $1`, [reply.body.id])).rows[0].status === 'sent',
    );
    await db.end();
  }, 60_000);
});
