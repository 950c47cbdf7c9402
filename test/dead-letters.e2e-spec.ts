import { FakeReceiver } from './support/fake-receiver';
import { eventually } from './support/eventually';
import { startTestApp, TestApp } from './support/test-app';
import { inboundBody, postSigned, registerWebhookChannel } from './support/webhook-channel';

describe('Dead letters: failed replies, jobs and files, listed and replayed', () => {
  let sut: TestApp;
  let receiver: FakeReceiver;

  beforeAll(async () => {
    sut = await startTestApp({ JOB_MAX_ATTEMPTS: '1' });
    receiver = await FakeReceiver.start();
  });

  afterAll(async () => {
    await sut.close();
    await receiver.stop();
  });

  const status = async (table: string, id: string) =>
    (await sut.db.query(`SELECT status FROM ${table} WHERE id = $1`, [id])).rows[0]?.status as string;

  it('lists a reply the receiver refused, and delivers it once replayed', async () => {
    const channel = await registerWebhookChannel(sut, receiver, { url: `${receiver.url}/dl-out` });
    await postSigned(sut, channel.id, inboundBody({ id: 'dl-1', chatId: 'dl-chat' })).expect(200);
    const chatId = (await sut.db.query('SELECT id FROM chats WHERE channel_id = $1', [channel.id])).rows[0].id;
    receiver.on('POST', '/dl-out', () => ({ status: 422, body: { error: 'chat unknown here' } }));
    const reply = await sut
      .admin()
      .post(`/chats/${chatId}/messages`)
      .send({ text: 'hello?', clientMessageId: 'dl' })
      .expect(202);
    await eventually(async () => (await status('messages', reply.body.id)) === 'failed');

    const listed = await sut.admin().get('/admin/dead-letters/messages').expect(200);
    expect(listed.body).toContainEqual(
      expect.objectContaining({ id: reply.body.id, chatId, error: 'HTTP 422: chat unknown here', attempts: 1 }),
    );
    receiver.on('POST', '/dl-out', () => ({ status: 200, body: { id: 'second-chance' } }));
    await sut.admin().post(`/admin/dead-letters/messages/${reply.body.id}/retry`).expect(202);
    await eventually(async () => (await status('messages', reply.body.id)) === 'sent');
    expect(receiver.received('POST', '/dl-out')).toHaveLength(2);
    await sut.admin().post(`/admin/dead-letters/messages/${reply.body.id}/retry`).expect(404);
    await sut.admin().post('/admin/dead-letters/messages/not-a-number/retry').expect(404);
  });

  it('keeps a message whose attachment failed, and downloads it when an admin retries the file', async () => {
    const channel = await registerWebhookChannel(sut, receiver);
    receiver.on('GET', '/flaky.txt', () => ({ status: 404, body: { error: 'not yet' } }));
    await postSigned(
      sut,
      channel.id,
      inboundBody({
        id: 'dl-file',
        text: 'see file',
        attachments: [{ url: `${receiver.url}/flaky.txt`, type: 'file' }],
      }),
    ).expect(200);
    const { rows } = await sut.db.query(
      `SELECT f.id FROM message_files f JOIN messages m ON m.id = f.message_id WHERE m.channel_id = $1`,
      [channel.id],
    );
    const fileId = rows[0].id;
    await eventually(async () => (await status('message_files', fileId)) === 'failed');
    const jobs = await sut.admin().get('/admin/dead-letters/jobs').expect(200);
    expect(jobs.body).toContainEqual(
      expect.objectContaining({
        type: 'attachment.download',
        payload: expect.objectContaining({ fileId }),
        lastError: 'HTTP 404: not yet',
      }),
    );

    receiver.on('GET', '/flaky.txt', () => ({
      status: 200,
      body: Buffer.from('finally'),
      headers: { 'content-type': 'text/plain' },
    }));
    await sut.admin().post(`/admin/files/${fileId}/retry`).expect(202);
    await eventually(async () => (await status('message_files', fileId)) === 'stored');
    const text = await sut.db.query(`SELECT text FROM messages WHERE channel_id = $1`, [channel.id]);
    expect(text.rows).toEqual([{ text: 'see file' }]);
    const remaining = await sut.db.query(`SELECT count(*) FROM jobs WHERE payload->>'fileId' = $1`, [fileId]);
    expect(Number(remaining.rows[0].count)).toBe(0);
  });
});
