import { Client } from 'pg';
import {
  as,
  createOperator,
  createQueue,
  createTestChannel,
  customerWrites,
  TEST_CHANNEL_TOKEN,
} from '../../../test/support/agent-setup';
import { eventually } from '../../../test/support/eventually';
import { createTestDatabase } from '../../../test/support/test-database';
import { startTestApp, TestApp } from '../../../test/support/test-app';
import { CHAT_EVENTS, isChatEventType } from './chat-event-catalogue';

interface StoredEvent {
  type: string;
  payload: Record<string, unknown>;
}

/** How a stored event's payload departs from the catalogue's keys for its type; undefined when it does not. */
function departureFromCatalogue({ type, payload }: StoredEvent): string | undefined {
  if (!isChatEventType(type)) return `${type}: not in the catalogue`;
  const declared: Record<string, 'required' | 'optional'> = CHAT_EVENTS[type].payload;
  const missing = Object.keys(declared).filter((key) => declared[key] === 'required' && !(key in payload));
  const unexpected = Object.keys(payload).filter((key) => !(key in declared));
  if (missing.length === 0 && unexpected.length === 0) return undefined;
  return `${type}: missing [${missing.join(', ')}], unexpected [${unexpected.join(', ')}]`;
}

async function storedEvents(db: Client): Promise<StoredEvent[]> {
  const { rows } = await db.query<StoredEvent>(`SELECT type, payload FROM chat_events ORDER BY id`);
  return rows;
}

describe('chat event payloads written by SQL match the catalogue', () => {
  describe('store_inbound_messages', () => {
    let database: { url: string; drop(): Promise<void> };
    let db: Client;
    let channelId: string;

    beforeAll(async () => {
      database = await createTestDatabase();
      db = new Client({ connectionString: database.url });
      await db.connect();
      await db.query(`INSERT INTO channel_providers (code, name, capabilities) VALUES ('test', 'Test', '{}')`);
      const { rows } = await db.query<{ id: string }>(
        `WITH settings AS (INSERT INTO msg_settings (provider, settings) VALUES ('test', '{}') RETURNING id)
         INSERT INTO channels (name, provider, msg_settings_id) SELECT 'Sandbox', 'test', id FROM settings RETURNING id`,
      );
      channelId = rows[0].id;
    });

    afterAll(async () => {
      await db?.end();
      await database?.drop();
    });

    const message = (id: string, chat: string, sender: { externalId: string; name?: string }, extra = {}) => ({
      externalMessageId: id,
      externalChatId: chat,
      sender,
      text: `text of ${id}`,
      sentAt: new Date().toISOString(),
      ...extra,
    });

    it('writes contact.created, chat.created and message.created with exactly their keys', async () => {
      const batch = [
        message('m-1', 'chat-a', { externalId: 'ada', name: 'Ada' }),
        message('m-2', 'chat-a', { externalId: 'ada', name: 'Ada' }, { attachments: [{ kind: 'image', url: 'x' }] }),
        message('m-3', 'chat-b', { externalId: 'anonymous' }, { text: null }),
      ];

      await db.query(`SELECT * FROM store_inbound_messages($1, 'Sandbox', NULL, $2::jsonb)`, [
        channelId,
        JSON.stringify(batch),
      ]);

      const events = await storedEvents(db);
      expect(events.map((event) => event.type).sort()).toEqual([
        'chat.created',
        'chat.created',
        'contact.created',
        'contact.created',
        'message.created',
        'message.created',
        'message.created',
      ]);
      expect(events.map(departureFromCatalogue).filter(Boolean)).toEqual([]);
    });
  });

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
