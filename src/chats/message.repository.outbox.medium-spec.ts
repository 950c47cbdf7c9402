import { randomUUID } from 'node:crypto';
import { ChatFixtures, FixtureChannel } from '../../test/support/chat-fixtures';
import { MediumDatabase, openMediumDatabase } from '../../test/support/medium-database';
import { MessageRepository } from './message.repository';

const LEASE_MS = 60_000;
const MAX_ATTEMPTS = 3;

interface OutgoingRow {
  status: string;
  attempts: number;
  error: string | null;
  provider_message_id: string | null;
  sent: boolean;
}

describe(`${MessageRepository.name}: the outbox`, () => {
  let database: MediumDatabase;
  let fixtures: ChatFixtures;
  let sut: MessageRepository;
  let channel: FixtureChannel;
  let chatId: string;
  let externalChatId: string;

  beforeAll(async () => {
    database = await openMediumDatabase();
    fixtures = new ChatFixtures(database.transactions);
    sut = new MessageRepository(database.transactions);
  });

  afterAll(() => database.close());

  beforeEach(async () => {
    // Every test starts from an empty outbox: claims see every channel's messages.
    await database.query(`DELETE FROM messages WHERE direction = 'out'`);
    channel = await fixtures.channel();
    const conversation = randomUUID();
    externalChatId = conversation;
    chatId = await fixtures.chatWithMessages(channel, 1, conversation);
  });

  const claim = () => sut.claimDueOutgoing(10, LEASE_MS, MAX_ATTEMPTS);
  const queueReply = (text: string) =>
    sut.enqueueOutgoing({
      chatId,
      channelId: channel.id,
      senderType: 'operator',
      senderId: null,
      text,
      clientMessageId: text,
    });

  async function outgoing(id: string): Promise<OutgoingRow> {
    const [row] = await database.query<OutgoingRow>(
      `SELECT status, attempts, error, provider_message_id, sent_at IS NOT NULL AS sent FROM messages WHERE id = $1`,
      [id],
    );
    return row;
  }

  const statusEvents = () =>
    database.query<{ payload: unknown }>(
      `SELECT payload FROM chat_events WHERE type = 'message.status' AND chat_id = $1 ORDER BY id`,
      [chatId],
    );

  const lapseLeases = () => database.query(`UPDATE messages SET next_attempt_at = now() WHERE status = 'sending'`);

  it('claims due replies with what the provider needs, once', async () => {
    const id = await queueReply('hello');

    expect(await claim()).toEqual([
      {
        id,
        attempts: 1,
        exhausted: false,
        lastError: null,
        channelId: channel.id,
        provider: 'test',
        externalChatId,
        recipientExternalId: `user-${externalChatId}`,
        text: 'hello',
        attachments: [],
      },
    ]);
    expect(await outgoing(id)).toMatchObject({ status: 'sending', attempts: 1 });
    expect(await claim()).toEqual([]);
  });

  it('settles a send and records its message.status event in the same statement', async () => {
    const id = await queueReply('hello');
    const [claimed] = await claim();

    expect(await sut.settleOutgoing(claimed, { status: 'sent', providerMessageId: 'p-1' })).toEqual({
      hasPendingReceipts: false,
    });

    expect(await outgoing(id)).toMatchObject({ status: 'sent', provider_message_id: 'p-1', sent: true, error: null });
    expect(await statusEvents()).toEqual([{ payload: { chatId, messageId: id, status: 'sent', error: null } }]);
  });

  it('says when receipts for the sent message arrived before the send settled', async () => {
    await queueReply('hello');
    await database.query(
      `INSERT INTO pending_receipts (channel_id, provider_message_id, status) VALUES ($1, 'p-early', 'delivered')`,
      [channel.id],
    );
    const [claimed] = await claim();

    expect(await sut.settleOutgoing(claimed, { status: 'sent', providerMessageId: 'p-early' })).toEqual({
      hasPendingReceipts: true,
    });
  });

  it('leaves a message alone when a newer attempt took it over', async () => {
    const id = await queueReply('hello');
    const [stale] = await claim();
    await lapseLeases();
    const [newer] = await claim();
    await sut.settleOutgoing(newer, { status: 'failed', error: 'HTTP 400: unknown chat' });

    expect(await sut.settleOutgoing(stale, { status: 'sent', providerMessageId: 'late' })).toBeUndefined();
    await sut.requeueOutgoing(stale, { afterMs: 0, error: 'late', countsAsAttempt: true });

    expect(await outgoing(id)).toMatchObject({ status: 'failed', attempts: 2, error: 'HTTP 400: unknown chat' });
    expect(await statusEvents()).toEqual([
      { payload: { chatId, messageId: id, status: 'failed', error: 'HTTP 400: unknown chat' } },
    ]);
  });

  it('requeues a failed attempt, counted or given back', async () => {
    const id = await queueReply('hello');
    const [first] = await claim();
    await sut.requeueOutgoing(first, { afterMs: 0, error: 'HTTP 500', countsAsAttempt: true });
    expect(await outgoing(id)).toMatchObject({ status: 'queued', attempts: 1, error: 'HTTP 500' });

    const [second] = await claim();
    await sut.requeueOutgoing(second, { afterMs: 60_000, error: null, countsAsAttempt: false });

    expect(await outgoing(id)).toMatchObject({ status: 'queued', attempts: 1, error: 'HTTP 500' });
    expect(await claim()).toEqual([]);
    expect(await statusEvents()).toEqual([]);
  });

  it('skips the replies of a paused or switched-off channel', async () => {
    await queueReply('hello');
    await database.query(`UPDATE channels SET error = 'revoked' WHERE id = $1`, [channel.id]);
    expect(await claim()).toEqual([]);

    await database.query(`UPDATE channels SET error = NULL, active = false WHERE id = $1`, [channel.id]);
    expect(await claim()).toEqual([]);
  });

  it('hands back a reply whose last allowed attempt lapsed as exhausted, its attempts unchanged', async () => {
    await queueReply('hello');
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      const [claimed] = await claim();
      await sut.requeueOutgoing(claimed, { afterMs: 0, error: `HTTP 500 #${attempt}`, countsAsAttempt: true });
    }
    await claim();
    await lapseLeases();

    const [lapsed] = await claim();

    expect(lapsed).toMatchObject({ attempts: MAX_ATTEMPTS, exhausted: true, lastError: 'HTTP 500 #2' });
  });

  it('lists failed replies and queues one again with fresh attempts', async () => {
    const id = await queueReply('hello');
    const [claimed] = await claim();
    await sut.settleOutgoing(claimed, { status: 'failed', error: 'HTTP 400' });

    expect(await sut.listFailedOutgoing(10)).toEqual([
      expect.objectContaining({ id, chatId, channelId: channel.id, error: 'HTTP 400', attempts: 1 }),
    ]);
    expect(await sut.countDueOutgoing()).toBe(0);
    expect(await sut.requeueFailedOutgoing(id)).toBe(true);
    expect(await sut.requeueFailedOutgoing(id)).toBe(false);

    expect(await outgoing(id)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await sut.countDueOutgoing()).toBe(1);
  });
});
