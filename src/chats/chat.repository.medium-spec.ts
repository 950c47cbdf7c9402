import { ChatFixtures, FixtureChannel } from '../../test/support/chat-fixtures';
import { MediumDatabase, openMediumDatabase } from '../../test/support/medium-database';
import { ChatListFilter, ChatRepository } from './chat.repository';

describe(ChatRepository.name, () => {
  let database: MediumDatabase;
  let sut: ChatRepository;
  let fixtures: ChatFixtures;
  let operatorA: string;
  let operatorB: string;
  let queueOfBoth: string;
  let channelOfBoth: FixtureChannel;
  /** Chats in the order their last messages arrived, each with as many unread messages as its number. */
  const chats = { mine: '', waiting: '', offeredToB: '', activeWithB: '', otherQueue: '', myClosed: '' };
  const all: ChatListFilter = { channelId: null, status: null, before: null, limit: 20 };

  beforeAll(async () => {
    database = await openMediumDatabase();
    sut = new ChatRepository(database.transactions);
    fixtures = new ChatFixtures(database.transactions);
    operatorA = await fixtures.operator();
    operatorB = await fixtures.operator();
    queueOfBoth = await fixtures.queue([operatorA, operatorB]);
    channelOfBoth = await fixtures.channel(queueOfBoth);
    const channelOfB = await fixtures.channel(await fixtures.queue([operatorB]));

    chats.mine = await fixtures.chatWithMessages(channelOfBoth, 1);
    await sut.assign(chats.mine, operatorA);
    chats.waiting = await fixtures.chatWithMessages(channelOfBoth, 2);
    chats.offeredToB = await fixtures.chatWithMessages(channelOfBoth, 3);
    await sut.offer(chats.offeredToB, queueOfBoth, operatorB);
    chats.activeWithB = await fixtures.chatWithMessages(channelOfBoth, 4);
    await sut.assign(chats.activeWithB, operatorB);
    chats.otherQueue = await fixtures.chatWithMessages(channelOfB, 5);
    chats.myClosed = await fixtures.chatWithMessages(channelOfBoth, 6);
    await sut.assign(chats.myClosed, operatorA);
    await sut.close(chats.myClosed);
  });

  afterAll(() => database.close());

  const ids = (rows: { id: string }[]) => rows.map((row) => row.id);

  describe('pageForOperator', () => {
    it('lists their own chats (closed too) and chats waiting unassigned in their queues, newest activity first', async () => {
      expect(ids(await sut.pageForOperator(operatorA, all))).toEqual([chats.myClosed, chats.waiting, chats.mine]);
      expect(ids(await sut.pageForOperator(operatorB, all))).toEqual([
        chats.otherQueue,
        chats.activeWithB,
        chats.offeredToB,
        chats.waiting,
      ]);
    });

    it('pages by keyset on the last message id', async () => {
      const first = await sut.pageForOperator(operatorA, { ...all, limit: 2 });
      expect(ids(first)).toEqual([chats.myClosed, chats.waiting]);
      const second = await sut.pageForOperator(operatorA, { ...all, limit: 2, before: first[1].cursor });
      expect(ids(second)).toEqual([chats.mine]);
    });

    it('filters by status and channel', async () => {
      expect(ids(await sut.pageForOperator(operatorA, { ...all, status: 'queued' }))).toEqual([chats.waiting]);
      expect(ids(await sut.pageForOperator(operatorB, { ...all, status: 'active' }))).toEqual([chats.activeWithB]);
      expect(ids(await sut.pageForOperator(operatorB, { ...all, channelId: channelOfBoth.id }))).toEqual([
        chats.activeWithB,
        chats.offeredToB,
        chats.waiting,
      ]);
    });

    it('shows each chat with its channel, contact, unread counter and last message', async () => {
      const [mine] = await sut.pageForOperator(operatorA, { ...all, status: 'active' });
      expect(mine).toMatchObject({
        id: chats.mine,
        status: 'active',
        operatorId: operatorA,
        queueId: queueOfBoth,
        unreadCount: 1,
        channel: { id: channelOfBoth.id, provider: 'test' },
        lastMessage: { direction: 'in', text: 'message 1', status: 'received' },
      });
      expect(mine.contact.name).toMatch(/^\[New Contact\]\[Fixture\]-user-/);
    });
  });

  it('pageForSupervisor lists every chat, newest activity first', async () => {
    expect(ids(await sut.pageForSupervisor(all))).toEqual([
      chats.myClosed,
      chats.otherQueue,
      chats.activeWithB,
      chats.offeredToB,
      chats.waiting,
      chats.mine,
    ]);
  });

  describe('the access rule: an operator reads their own chats and every chat of their queues', () => {
    it('viewFor', async () => {
      expect((await sut.viewFor(chats.activeWithB, operatorA))?.id).toBe(chats.activeWithB);
      expect(await sut.viewFor(chats.otherQueue, operatorA)).toBeNull();
      expect((await sut.viewFor(chats.otherQueue, null))?.id).toBe(chats.otherQueue);
      expect(await sut.viewFor('00000000-0000-4000-8000-000000000000', null)).toBeNull();
    });

    it('findForAction and lockForAction', async () => {
      expect(await sut.findForAction(chats.offeredToB, operatorA)).toEqual({
        id: chats.offeredToB,
        status: 'queued',
        operatorId: operatorB,
        queueId: queueOfBoth,
        provider: 'test',
      });
      expect(await sut.findForAction(chats.otherQueue, operatorA)).toBeNull();
      await database.transactions.run(async () => {
        expect((await sut.lockForAction(chats.otherQueue, operatorB))?.id).toBe(chats.otherQueue);
        expect(await sut.lockForAction(chats.otherQueue, operatorA)).toBeNull();
      });
    });
  });

  describe('unread counts', () => {
    it("sum the counters of the operator's open work list", async () => {
      expect(await sut.countUnreadForOperator(operatorA)).toEqual({ chats: 2, messages: 1 + 2 });
      expect(await sut.countUnreadForOperator(operatorB)).toEqual({ chats: 4, messages: 2 + 3 + 4 + 5 });
    });

    it('sum every open chat for the supervisor', async () => {
      expect(await sut.countUnreadForSupervisor()).toEqual({ chats: 5, messages: 1 + 2 + 3 + 4 + 5 });
    });

    it('leave out chats whose counter was reset', async () => {
      const chat = await fixtures.chatWithMessages(channelOfBoth, 1);
      await sut.assign(chat, operatorA);
      expect((await sut.countUnreadForOperator(operatorA)).chats).toBe(3);
      await sut.resetUnread(chat);
      expect(await sut.countUnreadForOperator(operatorA)).toEqual({ chats: 2, messages: 3 });
    });
  });

  it('accept: a waiting chat goes to one operator only; an offer only to the operator offered it', async () => {
    const waiting = await fixtures.chatWithMessages(channelOfBoth);
    const offered = await fixtures.chatWithMessages(channelOfBoth);
    await sut.offer(offered, queueOfBoth, operatorB);

    const accepted = await Promise.all([sut.accept(waiting, operatorA), sut.accept(waiting, operatorB)]);
    expect(accepted.filter(Boolean)).toHaveLength(1);
    expect(await sut.accept(offered, operatorA)).toBe(false);
    expect(await sut.accept(offered, operatorB)).toBe(true);
    expect(await sut.findForAction(offered, null)).toMatchObject({ status: 'active', operatorId: operatorB });
  });

  it('offer refuses a chat already offered or moved to another queue', async () => {
    const chat = await fixtures.chatWithMessages(channelOfBoth);
    expect(await sut.offer(chat, '00000000-0000-4000-8000-000000000000', operatorA)).toBe(false);
    expect(await sut.offer(chat, queueOfBoth, operatorA)).toBe(true);
    expect(await sut.offer(chat, queueOfBoth, operatorB)).toBe(false);
  });

  it("releaseOffers hands back the operator's offers and leaves their active chats", async () => {
    const operator = await fixtures.operator();
    const offered = await fixtures.chatWithMessages(channelOfBoth);
    const active = await fixtures.chatWithMessages(channelOfBoth);
    await sut.offer(offered, queueOfBoth, operator);
    await sut.assign(active, operator);

    expect(await sut.releaseOffers(operator)).toEqual([{ id: offered, queueId: queueOfBoth }]);
    expect(await sut.findForAction(offered, null)).toMatchObject({ status: 'queued', operatorId: null });
    expect(await sut.findForAction(active, null)).toMatchObject({ status: 'active', operatorId: operator });
  });
});
