import { ChatFixtures, FixtureChannel } from '../../../test/support/chat-fixtures';
import { MediumDatabase, openMediumDatabase } from '../../../test/support/medium-database';
import { MessageRepository } from '../../chats/message.repository';
import { UnifiedMessage } from '../contracts/unified-message';
import { InboundGroupCommit } from './inbound-group-commit';

describe(InboundGroupCommit.name, () => {
  let database: MediumDatabase;
  let sut: InboundGroupCommit;
  let fixtures: ChatFixtures;
  let channel: FixtureChannel;
  let otherChannel: FixtureChannel;

  beforeAll(async () => {
    database = await openMediumDatabase();
    sut = new InboundGroupCommit(new MessageRepository(database.transactions));
    fixtures = new ChatFixtures(database.transactions);
    channel = await fixtures.channel();
    otherChannel = await fixtures.channel();
  });

  afterAll(() => database.close());

  /** The transactions that wrote these messages: one id when they were committed together. */
  async function commitsOf(messageIds: string[]): Promise<string[]> {
    const rows = await database.query<{ xid: string }>(
      `SELECT DISTINCT xmin::text AS xid FROM messages WHERE id = ANY($1::bigint[])`,
      [messageIds],
    );
    return rows.map((row) => row.xid);
  }

  /** A message Postgres refuses (jsonb holds no NUL character), as a provider might send one. */
  function unstorable(externalChatId: string): UnifiedMessage {
    return fixtures.message(externalChatId, 'nul \u0000 inside');
  }

  it('stores an idle single request at once, alone in its commit', async () => {
    const result = await sut.store(channel, [fixtures.message('idle-1'), fixtures.message('idle-1')]);

    expect(result).toMatchObject({ stored: 2, duplicates: 0, statusUpdates: 0, openedChats: 1 });
    expect(await commitsOf(result.messageIds)).toHaveLength(1);
  });

  it('stores the requests that arrive while a group is in flight in one commit, each with its own counts', async () => {
    const inFlight = sut.store(channel, [fixtures.message('group-0')]);
    const waiting = [
      sut.store(channel, [fixtures.message('group-1'), fixtures.message('group-1')]),
      sut.store(otherChannel, [fixtures.message('group-2')]),
      sut.store(channel, [fixtures.message('group-1')]),
    ];

    await inFlight;
    const results = await Promise.all(waiting);

    expect(results.map(({ stored, duplicates, openedChats }) => [stored, duplicates, openedChats])).toEqual([
      [2, 0, 1],
      [1, 0, 1],
      [1, 0, 0],
    ]);
    expect(await commitsOf(results.flatMap((result) => result.messageIds))).toHaveLength(1);
  });

  it('counts a message that two requests of one group carry as stored by the first and a duplicate of the second', async () => {
    const delivered = fixtures.message('twice', 'hello', 'provider-twice');
    const inFlight = sut.store(channel, [fixtures.message('warm-up')]);
    const first = sut.store(channel, [delivered, fixtures.message('twice')]);
    const second = sut.store(channel, [{ ...delivered }]);

    await inFlight;

    expect(await first).toMatchObject({ stored: 2, duplicates: 0 });
    expect(await second).toMatchObject({ stored: 0, duplicates: 1, messageIds: [] });
  });

  it('fails only the request with the bad message; the rest of its group is stored', async () => {
    const inFlight = sut.store(channel, [fixtures.message('bad-0')]);
    const good = sut.store(channel, [fixtures.message('bad-1')]);
    const bad = sut.store(channel, [fixtures.message('bad-2'), unstorable('bad-2')]);
    const alsoGood = sut.store(otherChannel, [fixtures.message('bad-3')]);

    await inFlight;

    await expect(bad).rejects.toThrow();
    expect(await good).toMatchObject({ stored: 1, duplicates: 0 });
    expect(await alsoGood).toMatchObject({ stored: 1, duplicates: 0 });
    const chats = await database.query<{ external_chat_id: string }>(
      `SELECT external_chat_id FROM chats WHERE external_chat_id LIKE 'bad-%' ORDER BY 1`,
    );
    expect(chats.map((chat) => chat.external_chat_id)).toEqual(['bad-0', 'bad-1', 'bad-3']);
  });
});
