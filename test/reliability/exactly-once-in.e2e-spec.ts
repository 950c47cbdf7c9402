import { FakeReceiver } from '../support/fake-receiver';
import { startTestApp, TestApp } from '../support/test-app';
import { inboundBody, postSigned, registerWebhookChannel } from '../support/webhook-channel';

describe('Exactly once in (promise 1)', () => {
  let instanceA: TestApp;
  let instanceB: TestApp;
  let receiver: FakeReceiver;

  beforeAll(async () => {
    instanceA = await startTestApp();
    instanceB = await startTestApp({}, instanceA.databaseUrl);
    receiver = await FakeReceiver.start();
  });

  afterAll(async () => {
    await instanceB.close();
    await instanceA.close();
    await receiver.stop();
  });

  const count = async (sql: string, channelId: string) =>
    Number((await instanceA.db.query(sql, [channelId])).rows[0].count);

  it('stores each message of a batch once when the batch is fired 50 times at once at two instances', async () => {
    const channel = await registerWebhookChannel(instanceA, receiver);
    await postSigned(instanceA, channel.id, inboundBody({ id: 'old-1', chatId: 'c-1', from: { id: 'u-1' } })).expect(
      200,
    );
    // A batch that mixes an old message with new ones, in three conversations, one of them new.
    const batch = inboundBody(
      { id: 'old-1', chatId: 'c-1', from: { id: 'u-1' } },
      { id: 'new-1', chatId: 'c-1', from: { id: 'u-1' } },
      { id: 'new-2', chatId: 'c-2', from: { id: 'u-2' } },
      { id: 'new-3', chatId: 'c-3', from: { id: 'u-3' } },
      { id: 'new-4', chatId: 'c-3', from: { id: 'u-3' } },
    );
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => postSigned(i % 2 ? instanceA : instanceB, channel.id, batch)),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    const stored = responses.reduce((sum, response) => sum + (response.body as { stored: number }).stored, 0);
    expect(stored).toBe(4);

    expect(await count(`SELECT count(*) FROM messages WHERE channel_id = $1`, channel.id)).toBe(5);
    expect(
      await count(`SELECT count(DISTINCT provider_message_id) FROM messages WHERE channel_id = $1`, channel.id),
    ).toBe(5);
    expect(await count(`SELECT count(*) FROM chats WHERE channel_id = $1`, channel.id)).toBe(3);
    expect(await count(`SELECT count(*) FROM contact_identities WHERE channel_id = $1`, channel.id)).toBe(3);
    expect(
      await count(
        `SELECT count(*) FROM chat_events WHERE type = 'message.created' AND chat_id IN (SELECT id FROM chats WHERE channel_id = $1)`,
        channel.id,
      ),
    ).toBe(5);
    const unread = await instanceA.db.query(
      `SELECT external_chat_id, unread_count, last_seq FROM chats WHERE channel_id = $1 ORDER BY 1`,
      [channel.id],
    );
    expect(unread.rows).toEqual([
      { external_chat_id: 'c-1', unread_count: 2, last_seq: 2 },
      { external_chat_id: 'c-2', unread_count: 1, last_seq: 1 },
      { external_chat_id: 'c-3', unread_count: 2, last_seq: 2 },
    ]);
  });
});
