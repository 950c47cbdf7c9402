import { ChatFixtures, FixtureChannel } from '../../test/support/chat-fixtures';
import { MediumDatabase, openMediumDatabase } from '../../test/support/medium-database';
import { ChatRepository } from './chat.repository';
import { MessageRepository } from './message.repository';

describe(MessageRepository.name, () => {
  let database: MediumDatabase;
  let sut: MessageRepository;
  let chats: ChatRepository;
  let fixtures: ChatFixtures;
  let channel: FixtureChannel;

  beforeAll(async () => {
    database = await openMediumDatabase();
    sut = new MessageRepository(database.transactions);
    chats = new ChatRepository(database.transactions);
    fixtures = new ChatFixtures(database.transactions);
    channel = await fixtures.channel(await fixtures.queue([]));
  });

  afterAll(() => database.close());

  describe('storeInbound', () => {
    it('stores a batch in one chat, numbering its messages and counting them unread', async () => {
      const stored = await sut.storeInbound(channel, [
        fixtures.message('dm-1', 'one'),
        fixtures.message('dm-1', 'two'),
      ]);

      expect(stored.map((message) => message.opened)).toEqual([true, false]);
      const [{ chatId }] = stored;
      expect(stored[1].chatId).toBe(chatId);
      const page = await sut.pageByChat(chatId, { before: null, limit: 10, readerOperatorId: null });
      expect(page?.map((message) => [message.seq, message.text, message.status])).toEqual([
        [2, 'two', 'received'],
        [1, 'one', 'received'],
      ]);
      expect((await chats.viewFor(chatId, null))?.unreadCount).toBe(2);
    });

    it("stores nothing twice: a provider message id already stored is left out of the batch's result", async () => {
      const first = fixtures.message('dm-2', 'first', 'provider-1');
      const [{ chatId, messageId }] = await sut.storeInbound(channel, [first]);

      const again = await sut.storeInbound(channel, [
        fixtures.message('dm-2', 'first, delivered twice', 'provider-1'),
        fixtures.message('dm-2', 'second', 'provider-2'),
      ]);

      expect(again).toHaveLength(1);
      expect(again[0]).toMatchObject({ chatId, opened: false });
      expect(again[0].messageId).not.toBe(messageId);
      const page = await sut.pageByChat(chatId, { before: null, limit: 10, readerOperatorId: null });
      expect(page?.map((message) => message.text)).toEqual(['second', 'first']);
    });
  });

  describe('pageByChat', () => {
    let chatId: string;
    let member: string;

    beforeAll(async () => {
      member = await fixtures.operator();
      const queueChannel = await fixtures.channel(await fixtures.queue([member]));
      chatId = await fixtures.chatWithMessages(queueChannel, 5);
    });

    const page = (before: string | null, limit: number, readerOperatorId: string | null = null) =>
      sut.pageByChat(chatId, { before, limit, readerOperatorId });
    const seqs = (messages: { seq: number }[] | null) => messages?.map((message) => message.seq);

    it('walks the chat newest first by keyset on the sequence number', async () => {
      expect(seqs(await page(null, 2))).toEqual([5, 4]);
      expect(seqs(await page('4', 2))).toEqual([3, 2]);
      expect(seqs(await page('2', 2))).toEqual([1]);
    });

    it('answers an empty page, not null, past the first message', async () => {
      expect(await page('1', 2)).toEqual([]);
    });

    it('carries each message with its attachments', async () => {
      const [newest] = (await page(null, 1))!;
      expect(newest).toMatchObject({ chatId, seq: 5, direction: 'in', senderType: 'contact', attachments: [] });
    });

    it('answers null for a chat the reader may not read, and for no chat at all', async () => {
      const stranger = await fixtures.operator();
      expect(seqs(await page(null, 10, member))).toEqual([5, 4, 3, 2, 1]);
      expect(await page(null, 10, stranger)).toBeNull();
      expect(
        await sut.pageByChat('00000000-0000-4000-8000-000000000000', {
          before: null,
          limit: 10,
          readerOperatorId: null,
        }),
      ).toBeNull();
    });
  });

  describe('outgoing messages', () => {
    let chatId: string;

    beforeAll(async () => {
      chatId = await fixtures.chatWithMessages(channel, 1);
    });

    const enqueue = (clientMessageId: string) =>
      database.transactions.run(() =>
        sut.enqueueOutgoing({
          chatId,
          channelId: channel.id,
          senderType: 'supervisor',
          senderId: null,
          text: `reply ${clientMessageId}`,
          clientMessageId,
        }),
      );

    it("enqueueOutgoing stores the reply queued, next in the chat's order, and makes it the chat's last message", async () => {
      const id = await enqueue('reply-1');

      expect(await sut.one(id)).toMatchObject({
        seq: 2,
        direction: 'out',
        status: 'queued',
        clientMessageId: 'reply-1',
      });
      expect((await chats.viewFor(chatId, null))?.lastMessage).toMatchObject({ id, direction: 'out' });
      expect(await sut.idByClientId(chatId, 'reply-1')).toBe(id);
      expect(await sut.idByClientId(chatId, 'reply-2')).toBeNull();
    });

    it('applyReceipt moves a status forward only', async () => {
      const id = await enqueue('receipt-1');
      await database.query(`UPDATE messages SET status = 'sent', provider_message_id = 'p-1' WHERE id = $1`, [id]);
      const receipt = (status: 'delivered' | 'read') =>
        sut.applyReceipt(channel.id, { kind: 'receipt', status, externalChatId: 'x', externalMessageId: 'p-1' });

      expect(await receipt('read')).toEqual([{ id, chatId }]);
      expect(await receipt('delivered')).toEqual([]);
      expect(await receipt('read')).toEqual([]);
      expect((await sut.one(id))?.status).toBe('read');
    });
  });

  it('applyEdit replaces the text of a stored customer message, and finds nothing for an unknown one', async () => {
    const [{ messageId, chatId }] = await sut.storeInbound(channel, [fixtures.message('dm-3', 'typo', 'edit-1')]);
    const editedAt = new Date();

    expect(await sut.applyEdit(channel.id, { externalMessageId: 'edit-1', text: 'fixed', editedAt })).toEqual({
      id: messageId,
      chatId,
    });
    expect((await sut.one(messageId))?.text).toBe('fixed');
    expect(await sut.applyEdit(channel.id, { externalMessageId: 'never-seen', text: 'x', editedAt })).toBeNull();
  });

  it('markInboundRead marks the customer messages of that chat read, and no other', async () => {
    const chatId = await fixtures.chatWithMessages(channel, 2);
    const otherChatId = await fixtures.chatWithMessages(channel, 1);

    await sut.markInboundRead(chatId);

    const statuses = async (id: string) =>
      (await sut.pageByChat(id, { before: null, limit: 10, readerOperatorId: null }))?.map((message) => message.status);
    expect(await statuses(chatId)).toEqual(['read', 'read']);
    expect(await statuses(otherChatId)).toEqual(['received']);
  });
});
