import request from 'supertest';
import { FakeReceiver } from './support/fake-receiver';
import { eventually } from './support/eventually';
import { startTestApp, TestApp } from './support/test-app';
import { inboundBody, postSigned, registerWebhookChannel } from './support/webhook-channel';

describe('GET /metrics (Prometheus)', () => {
  let sut: TestApp;
  let receiver: FakeReceiver;

  beforeAll(async () => {
    sut = await startTestApp();
    receiver = await FakeReceiver.start();
    receiver.on('POST', '/ok', () => ({ status: 200, body: { id: 'x' } }));
    receiver.on('POST', '/bad', () => ({ status: 400, body: { error: 'no' } }));
  });

  afterAll(async () => {
    await sut.close();
    await receiver.stop();
  });

  const scrape = async () => (await sut.admin().get('/metrics').expect(200)).text;

  it('counts messages in and out by provider and status, webhook latency, provider errors and the queue', async () => {
    await request(sut.app.getHttpServer()).get('/metrics').expect(401);
    const good = await registerWebhookChannel(sut, receiver, { url: `${receiver.url}/ok` });
    const bad = await registerWebhookChannel(sut, receiver, { url: `${receiver.url}/bad` });
    await postSigned(sut, good.id, inboundBody({ id: 'm1', chatId: 'g' }, { id: 'm2', chatId: 'g' })).expect(200);
    await postSigned(sut, bad.id, inboundBody({ id: 'm3', chatId: 'b' })).expect(200);
    await postSigned(sut, bad.id, inboundBody({ id: 'm4' }), 'a-wrong-secret-of-some-length').expect(401);
    for (const [channelId, key] of [
      [good.id, 'ok'],
      [bad.id, 'ko'],
    ]) {
      const chatId = (await sut.db.query(`SELECT id FROM chats WHERE channel_id = $1`, [channelId])).rows[0].id;
      await sut.admin().post(`/chats/${chatId}/messages`).send({ text: 'hi', clientMessageId: key }).expect(202);
    }

    const text = await eventually(async () => {
      const metrics = await scrape();
      return metrics.includes('omni_messages_out_total{provider="webhook",status="failed"} 1') && metrics;
    });
    expect(text).toContain('omni_messages_in_total{provider="webhook"} 3');
    expect(text).toContain('omni_messages_out_total{provider="webhook",status="sent"} 1');
    expect(text).toContain('omni_provider_errors_total{provider="webhook",code="PERMANENT"} 1');
    expect(text).toMatch(/omni_webhook_duration_seconds_count\{provider="webhook",status_code="200"\} 2/);
    expect(text).toMatch(/omni_webhook_duration_seconds_count\{provider="webhook",status_code="401"\} 1/);
    expect(text).toMatch(/omni_outbound_queue_depth 0/);
    expect(text).toMatch(/omni_process_resident_memory_bytes \d+/);
  });
});
