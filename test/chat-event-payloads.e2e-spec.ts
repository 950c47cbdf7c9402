import {
  as,
  createOperator,
  createQueue,
  createTestChannel,
  customerWrites,
  TEST_CHANNEL_TOKEN,
} from './support/agent-setup';
import { departureFromCatalogue, storedEvents } from './support/chat-event-payloads';
import { eventually } from './support/eventually';
import { startTestApp, TestApp } from './support/test-app';

describe('chat event payloads written by SQL match the catalogue', () => {
  describe('the outbox settling a reply, and the services appending through the one writer', () => {
    let sut: TestApp;

    beforeAll(async () => {
      sut = await startTestApp();
    });

    afterAll(async () => {
      await sut?.close();
    });

    it('writes message.status for a sent and a refused reply, and every chat event, with exactly their keys', async () => {
      const alice = await createOperator(sut, 'Alice');
      const queueId = await createQueue(sut, 'manual', [alice]);
      const channelId = await createTestChannel(sut, queueId);
      const refusingChannel: { body: { id: string } } = await sut
        .admin()
        .post('/admin/channels')
        .send({
          name: 'Refusing',
          provider: 'test',
          settings: { token: TEST_CHANNEL_TOKEN, failWith: 'blocked' },
          queueId,
        })
        .expect(201);
      const chats = [
        await customerWrites(sut, channelId, 'payloads'),
        await customerWrites(sut, refusingChannel.body.id, 'payloads-refused'),
      ];

      for (const chatId of chats) {
        await as(sut, alice).post(`/chats/${chatId}/accept`).expect(200);
        await as(sut, alice)
          .post(`/chats/${chatId}/messages`)
          .send({ text: 'hello', clientMessageId: chatId })
          .expect(202);
      }
      await eventually(async () => {
        const statuses = (await storedEvents(sut.db)).filter((event) => event.type === 'message.status');
        return statuses.length === 2;
      });
      await as(sut, alice).post(`/chats/${chats[0]}/transfer`).send({ queueId }).expect(200);
      await as(sut, alice).post(`/chats/${chats[1]}/close`).expect(200);

      const events = await storedEvents(sut.db);
      const statuses = events.filter((event) => event.type === 'message.status').map((event) => event.payload);
      expect(statuses).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ status: 'sent', error: null }),
          expect.objectContaining({ status: 'failed', error: 'blocked' }),
        ]),
      );
      expect(new Set(events.map((event) => event.type))).toEqual(
        new Set([
          'contact.created',
          'chat.created',
          'message.created',
          'chat.assigned',
          'message.status',
          'chat.transferred',
          'chat.closed',
        ]),
      );
      expect(events.map(departureFromCatalogue).filter(Boolean)).toEqual([]);
    });
  });
});
