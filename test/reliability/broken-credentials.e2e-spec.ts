import { FakeReceiver } from '../support/fake-receiver';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';
import { inboundBody, postSigned, registerWebhookChannel } from '../support/webhook-channel';

describe('A channel whose credentials the provider rejects (promise 5)', () => {
  let sut: TestApp;
  let receiver: FakeReceiver;

  beforeAll(async () => {
    sut = await startTestApp();
    receiver = await FakeReceiver.start();
    receiver.on('POST', '/revoked', () => ({ status: 401, body: { error: 'signature key revoked' } }));
    receiver.on('POST', '/renewed', (request) => ({
      status: 200,
      body: { id: `ok-${(request.json() as { messageId: string }).messageId}` },
    }));
  });

  afterAll(async () => {
    await sut.close();
    await receiver.stop();
  });

  it('is marked in error, is not hammered, keeps its replies queued, and recovers when its settings are fixed', async () => {
    const channel = await registerWebhookChannel(sut, receiver, { url: `${receiver.url}/revoked` });
    await postSigned(sut, channel.id, inboundBody({ id: 'bc-1', chatId: 'bc' })).expect(200);
    const chatId = (await sut.db.query('SELECT id FROM chats WHERE channel_id = $1', [channel.id])).rows[0].id;
    const replies: string[] = [];
    for (let i = 1; i <= 3; i++) {
      replies.push(
        (
          await sut
            .admin()
            .post(`/chats/${chatId}/messages`)
            .send({ text: `r${i}`, clientMessageId: `bc-${i}` })
            .expect(202)
        ).body.id,
      );
    }
    const status = await eventually(async () => {
      const view = await sut.admin().get(`/admin/channels/${channel.id}`).expect(200);
      return view.body.status.error !== null && view.body.status;
    });
    expect(status).toMatchObject({ connected: false, error: 'HTTP 401: signature key revoked' });

    // Not hammered: over a second of worker polls (every 50 ms), at most one attempt per reply...
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const attemptsWhileBroken = receiver.received('POST', '/revoked').length;
    expect(attemptsWhileBroken).toBeLessThanOrEqual(3);
    // ...and none at all over the next second, while the channel stays in error.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.received('POST', '/revoked')).toHaveLength(attemptsWhileBroken);
    const queued = await sut.db.query(`SELECT status FROM messages WHERE id = ANY($1) ORDER BY id`, [replies]);
    expect(queued.rows.map((row) => row.status)).toEqual(['queued', 'queued', 'queued']);

    await sut
      .admin()
      .patch(`/admin/channels/${channel.id}`)
      .send({ settings: { url: `${receiver.url}/renewed` } })
      .expect(200);
    await eventually(async () => {
      const { rows } = await sut.db.query(`SELECT status FROM messages WHERE id = ANY($1)`, [replies]);
      return rows.every((row) => row.status === 'sent');
    });
    expect(receiver.received('POST', '/renewed')).toHaveLength(3);
    expect((await sut.admin().get(`/admin/channels/${channel.id}`).expect(200)).body.status).toMatchObject({
      connected: true,
      error: null,
    });
  });
});
