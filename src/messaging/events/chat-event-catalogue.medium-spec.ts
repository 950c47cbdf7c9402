import { Client } from 'pg';
import { departureFromCatalogue, storedEvents } from '../../../test/support/chat-event-payloads';
import { createTestDatabase } from '../../../test/support/test-database';

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
});
