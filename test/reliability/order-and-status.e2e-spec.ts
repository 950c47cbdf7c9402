import request from 'supertest';
import {
  as,
  createOperator,
  createQueue,
  createTestChannel,
  customerWrites,
  TEST_CHANNEL_TOKEN,
} from '../support/agent-setup';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';

describe('Order and forward-only status (promise 3)', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });

  afterAll(async () => {
    await sut.close();
  });

  const postReceipt = (channelId: string, chatId: string, messageId: string, status: string) =>
    request(sut.app.getHttpServer())
      .post(`/webhooks/${channelId}`)
      .set('x-test-token', TEST_CHANNEL_TOKEN)
      .send({ receipt: { chatId, messageId, status } })
      .expect(200);

  async function acceptedChat(externalChatId: string) {
    const operator = await createOperator(sut, `Op-${externalChatId}`);
    const channelId = await createTestChannel(sut, await createQueue(sut, 'manual', [operator]));
    const chatId = await customerWrites(sut, channelId, externalChatId);
    await as(sut, operator).post(`/chats/${chatId}/accept`).expect(200);
    return { operator, channelId, chatId };
  }

  const statusOf = async (messageId: string) =>
    (await sut.db.query(`SELECT status FROM messages WHERE id = $1`, [messageId])).rows[0].status as string;

  it('numbers a chat’s messages 1, 2, 3… in arrival order and keeps the provider’s timestamps', async () => {
    const { operator, channelId, chatId } = await acceptedChat('ordered');
    await as(sut, operator)
      .post(`/chats/${chatId}/messages`)
      .send({ text: 'reply', clientMessageId: 'o-1' })
      .expect(202);
    await customerWrites(sut, channelId, 'ordered', 'second question');
    const { rows } = await sut.db.query(`SELECT seq, direction, text FROM messages WHERE chat_id = $1 ORDER BY seq`, [
      chatId,
    ]);
    expect(rows).toEqual([
      { seq: 1, direction: 'in', text: 'hello' },
      { seq: 2, direction: 'out', text: 'reply' },
      { seq: 3, direction: 'in', text: 'second question' },
    ]);
    const chat = await sut.db.query(`SELECT last_seq FROM chats WHERE id = $1`, [chatId]);
    expect(chat.rows[0].last_seq).toBe(3);
  });

  it('never moves a status backwards: a late delivered after read changes nothing', async () => {
    const { operator, channelId, chatId } = await acceptedChat('forward');
    const sent = await as(sut, operator)
      .post(`/chats/${chatId}/messages`)
      .send({ text: 'hi', clientMessageId: 'f-1' })
      .expect(202);
    await eventually(async () => (await statusOf(sent.body.id)) === 'sent');
    const providerId = `test-${sent.body.id}`;

    expect((await postReceipt(channelId, 'forward', providerId, 'read')).body.statusUpdates).toBe(1);
    expect((await postReceipt(channelId, 'forward', providerId, 'delivered')).body.statusUpdates).toBe(0);
    expect((await postReceipt(channelId, 'forward', providerId, 'failed')).body.statusUpdates).toBe(0);
    expect((await postReceipt(channelId, 'forward', providerId, 'read')).body.statusUpdates).toBe(0);
    expect(await statusOf(sent.body.id)).toBe('read');
    const events = await sut.db.query(
      `SELECT payload->>'status' AS status FROM chat_events WHERE type = 'message.status' AND chat_id = $1 ORDER BY id`,
      [chatId],
    );
    expect(events.rows.map((row) => row.status)).toEqual(['sent', 'read']);
  });

  it('applies a receipt that arrives before its message is known, once the send settles', async () => {
    const { operator, channelId, chatId } = await acceptedChat('early');
    // The sandbox names our reply `test-<message id>`; this isolated database allocates ids in order.
    const { rows } = await sut.db.query(`SELECT coalesce(max(id), 0) + 1 AS next FROM messages`);
    const earlyId = `test-${rows[0].next}`;
    expect((await postReceipt(channelId, 'early', earlyId, 'delivered')).body.statusUpdates).toBe(0);
    expect(
      (await sut.db.query(`SELECT status FROM pending_receipts WHERE provider_message_id = $1`, [earlyId])).rows,
    ).toEqual([{ status: 'delivered' }]);

    const reply = await as(sut, operator)
      .post(`/chats/${chatId}/messages`)
      .send({ text: 'fast provider', clientMessageId: 'e-1' })
      .expect(202);
    expect(`test-${reply.body.id}`).toBe(earlyId);
    await eventually(async () => (await statusOf(reply.body.id)) === 'delivered');
    expect(
      (await sut.db.query(`SELECT count(*) FROM pending_receipts WHERE provider_message_id = $1`, [earlyId])).rows[0]
        .count,
    ).toBe('0');
  });
});
