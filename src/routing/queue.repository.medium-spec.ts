import { ChatFixtures } from '../../test/support/chat-fixtures';
import { MediumDatabase, openMediumDatabase } from '../../test/support/medium-database';
import { ChatRepository } from '../chats/chat.repository';
import { OperatorRepository } from '../operators/operator.repository';
import { QueueRepository } from './queue.repository';

describe(QueueRepository.name, () => {
  let database: MediumDatabase;
  let sut: QueueRepository;
  let chats: ChatRepository;
  let fixtures: ChatFixtures;
  const operators = { early: '', late: '', never: '', busy: '', offline: '', full: '', outsider: '' };
  let queue: string;

  beforeAll(async () => {
    database = await openMediumDatabase();
    sut = new QueueRepository(database.transactions);
    chats = new ChatRepository(database.transactions);
    fixtures = new ChatFixtures(database.transactions);
    const operatorRows = new OperatorRepository(database.transactions);

    operators.early = await fixtures.operator();
    operators.late = await fixtures.operator();
    operators.never = await fixtures.operator();
    operators.busy = await fixtures.operator('busy');
    operators.offline = await fixtures.operator('offline');
    operators.full = await fixtures.operator('online', 1);
    operators.outsider = await fixtures.operator();
    await operatorRows.markAssigned(operators.late);
    await operatorRows.markAssigned(operators.early);
    await operatorRows.markAssigned(operators.early);
    await operatorRows.markAssigned(operators.late);
    const { outsider: _outsider, ...members } = operators;
    queue = await fixtures.queue(Object.values(members));

    const channel = await fixtures.channel(queue);
    await chats.assign(await fixtures.chatWithMessages(channel), operators.full);
    await chats.assign(await fixtures.chatWithMessages(channel), operators.late);
    const closed = await fixtures.chatWithMessages(channel);
    await chats.assign(closed, operators.late);
    await chats.close(closed);
  });

  afterAll(() => database.close());

  describe('freeOperators', () => {
    it('picks the online members under their maxActiveChats, never assigned first, then longest since their last chat', async () => {
      const free = await sut.freeOperators(queue);

      expect(free.map((operator) => operator.id)).toEqual([operators.never, operators.early, operators.late]);
      expect(free.map((operator) => operator.assignedChats)).toEqual([0, 0, 1]);
      expect(free[0]).toMatchObject({ maxActiveChats: 5, lastAssignedAt: null });
    });

    it('counts offers as load: an operator offered a chat up to their maximum is not free', async () => {
      const single = await fixtures.operator('online', 1);
      const singleQueue = await fixtures.queue([single]);
      const chat = await fixtures.chatWithMessages(await fixtures.channel(singleQueue));
      expect(await sut.freeOperators(singleQueue)).toHaveLength(1);

      await chats.offer(chat, singleQueue, single);

      expect(await sut.freeOperators(singleQueue)).toEqual([]);
    });
  });

  it('isFreeOperator asks the same of one operator', async () => {
    expect(await sut.isFreeOperator(queue, operators.never)).toBe(true);
    expect(await sut.isFreeOperator(queue, operators.late)).toBe(true);
    for (const notFree of [operators.busy, operators.offline, operators.full, operators.outsider]) {
      expect(await sut.isFreeOperator(queue, notFree)).toBe(false);
    }
  });

  describe('chatsToRoute', () => {
    let first: string;
    let second: string;
    let automatic: string;

    beforeAll(async () => {
      const member = await fixtures.operator();
      automatic = await fixtures.queue([member], 'least_busy');
      const channel = await fixtures.channel(automatic);
      first = await fixtures.chatWithMessages(channel);
      const offered = await fixtures.chatWithMessages(channel);
      await chats.offer(offered, automatic, member);
      second = await fixtures.chatWithMessages(channel);
      await fixtures.chatWithMessages(await fixtures.channel(await fixtures.queue([member], 'manual')));
      const nobodyFree = await fixtures.queue([operators.full, operators.offline], 'least_busy');
      await fixtures.chatWithMessages(await fixtures.channel(nobodyFree));
    });

    const routable = async (after: string | null, limit = 10) =>
      (await sut.chatsToRoute(['least_busy'], after, limit)).map((chat) => chat.id);

    it("lists unassigned waiting chats of the rules' queues oldest first, skipping queues where nobody is free", async () => {
      expect(await routable(null)).toEqual([first, second]);
      expect((await sut.chatsToRoute(['least_busy'], null, 1))[0]).toEqual({
        id: first,
        queueId: automatic,
        operatorId: null,
        routingRule: 'least_busy',
      });
    });

    it('pages by keyset after a chat', async () => {
      expect(await routable(null, 1)).toEqual([first]);
      expect(await routable(first)).toEqual([second]);
      expect(await routable(second)).toEqual([]);
    });
  });

  it('hasWaitingChats tells a queue with chats waiting from an empty one', async () => {
    expect(await sut.hasWaitingChats(queue)).toBe(false);
    const withWaiting = await fixtures.queue([]);
    await fixtures.chatWithMessages(await fixtures.channel(withWaiting));
    expect(await sut.hasWaitingChats(withWaiting)).toBe(true);
  });
});
