import { MigrationInterface, QueryRunner } from 'typeorm';
import { StoreInboundMessagesFunction1795237900000 } from './1795237900000-StoreInboundMessagesFunction';

/**
 * store_inbound_batch: store_inbound_messages for a group of webhook requests that may span
 * channels (group commit): each item carries its channel beside the message, the advisory locks
 * of every item are taken up front in one sorted order (no deadlock between groups), and each row
 * returned names the item it stored (its 0-based place in the batch) so the caller can answer
 * each request with its own counts. Per message it runs two statements fewer than before: the
 * chat's sequence number is read with the chat and written with its last message in one UPDATE,
 * and files are inserted only when there are some. store_inbound_messages becomes a one-channel
 * call of it.
 */
export class StoreInboundBatchFunction1795240000000 implements MigrationInterface {
  name = 'StoreInboundBatchFunction1795240000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
CREATE FUNCTION store_inbound_batch(p_items jsonb)
RETURNS TABLE (item int, message_id bigint, chat_id uuid, opened boolean)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_item jsonb;
  v_ordinal bigint;
  v_message jsonb;
  v_channel_id uuid;
  v_channel_name text;
  v_sender_id text;
  v_sender_name text;
  v_contact uuid;
  v_chat uuid;
  v_opened boolean;
  v_seq int;
  v_id bigint;
  v_operator uuid;
  v_queue uuid;
BEGIN
  PERFORM pg_advisory_xact_lock(lock_key) FROM (
    SELECT DISTINCT hashtextextended(lock_name, 0) AS lock_key
      FROM jsonb_array_elements(p_items) AS i,
           LATERAL (VALUES ((i->>'channelId')::uuid || ':chat:' || (i->'message'->>'externalChatId')),
                           ((i->>'channelId')::uuid || ':user:' || (i->'message'->'sender'->>'externalId'))) AS names(lock_name)
     ORDER BY 1) AS sorted_keys;

  FOR v_item, v_ordinal IN SELECT value, ordinality FROM jsonb_array_elements(p_items) WITH ORDINALITY LOOP
    v_message := v_item->'message';
    v_channel_id := (v_item->>'channelId')::uuid;
    v_channel_name := v_item->>'channelName';
    CONTINUE WHEN EXISTS (SELECT 1 FROM messages
                           WHERE channel_id = v_channel_id AND direction = 'in'
                             AND provider_message_id = v_message->>'externalMessageId');
    v_sender_id := v_message->'sender'->>'externalId';

    SELECT i.contact_id INTO v_contact FROM contact_identities i
     WHERE i.channel_id = v_channel_id AND i.external_user_id = v_sender_id;
    IF v_contact IS NULL THEN
      v_sender_name := nullif(btrim(v_message->'sender'->>'name'), '');
      INSERT INTO contacts (name, name_placeholder)
      VALUES (coalesce(v_sender_name, '[New Contact][' || v_channel_name || ']-' || v_sender_id), v_sender_name IS NULL)
      RETURNING id INTO v_contact;
      INSERT INTO contact_identities (contact_id, channel_id, external_user_id) VALUES (v_contact, v_channel_id, v_sender_id);
      INSERT INTO jobs (type, payload) VALUES ('contact.profile',
        jsonb_build_object('contactId', v_contact, 'channelId', v_channel_id, 'externalUserId', v_sender_id));
      INSERT INTO chat_events (type, payload)
      SELECT 'contact.created', jsonb_build_object('contactId', ct.id, 'name', ct.name, 'channelId', v_channel_id,
                                                   'externalUserId', v_sender_id)
        FROM contacts ct WHERE ct.id = v_contact;
    END IF;

    SELECT c.id, c.last_seq INTO v_chat, v_seq FROM chats c
     WHERE c.channel_id = v_channel_id AND c.external_chat_id = v_message->>'externalChatId' AND c.status <> 'closed';
    v_opened := v_chat IS NULL;
    IF v_opened THEN
      INSERT INTO chats (channel_id, contact_id, external_chat_id, queue_id, status)
      VALUES (v_channel_id, v_contact, v_message->>'externalChatId', (v_item->>'queueId')::uuid, 'queued')
      RETURNING id, last_seq INTO v_chat, v_seq;
      INSERT INTO chat_events (type, payload)
      SELECT 'chat.created', jsonb_build_object('chatId', c.id, 'channelId', c.channel_id, 'contactId', c.contact_id,
                                                'queueId', c.queue_id, 'externalChatId', c.external_chat_id)
        FROM chats c WHERE c.id = v_chat;
    END IF;

    -- The conversation lock is held: the next number read above is still the chat's next.
    v_seq := v_seq + 1;
    INSERT INTO messages (chat_id, seq, channel_id, direction, sender_type, sender_id, text, status, provider_message_id, sent_at)
    VALUES (v_chat, v_seq, v_channel_id, 'in', 'contact', v_contact, v_message->>'text', 'received',
            v_message->>'externalMessageId', (v_message->>'sentAt')::timestamptz)
    RETURNING id INTO v_id;
    UPDATE chats SET last_seq = v_seq, unread_count = unread_count + 1, last_message_id = v_id,
                     last_message_at = (v_message->>'sentAt')::timestamptz
     WHERE id = v_chat RETURNING operator_id, queue_id INTO v_operator, v_queue;

    IF jsonb_array_length(coalesce(v_message->'attachments', '[]'::jsonb)) > 0 THEN
      WITH files AS (
        INSERT INTO message_files (message_id, kind, source_url, provider_file_id, file_name, mime_type, status)
        SELECT v_id, a->>'kind', a->>'url', a->>'providerFileId', a->>'fileName', a->>'mimeType', 'pending'
          FROM jsonb_array_elements(v_message->'attachments') AS a
        RETURNING id)
      INSERT INTO jobs (type, payload)
      SELECT 'attachment.download', jsonb_build_object('fileId', files.id, 'channelId', v_channel_id) FROM files;
    END IF;

    INSERT INTO chat_events (type, chat_id, operator_id, queue_id, payload)
    VALUES ('message.created', v_chat, v_operator, v_queue,
            jsonb_build_object('chatId', v_chat, 'messageId', v_id::text, 'direction', 'in', 'text', v_message->>'text'));

    item := v_ordinal - 1;
    message_id := v_id;
    chat_id := v_chat;
    opened := v_opened;
    RETURN NEXT;
  END LOOP;
END
$fn$`);
    await queryRunner.query(`DROP FUNCTION store_inbound_messages(uuid, text, uuid, jsonb)`);
    await queryRunner.query(`
CREATE FUNCTION store_inbound_messages(p_channel_id uuid, p_channel_name text, p_queue_id uuid, p_messages jsonb)
RETURNS TABLE (message_id bigint, chat_id uuid, opened boolean)
LANGUAGE sql AS $fn$
  SELECT stored.message_id, stored.chat_id, stored.opened
    FROM store_inbound_batch((
      SELECT coalesce(jsonb_agg(jsonb_build_object('channelId', p_channel_id, 'channelName', p_channel_name,
                                                   'queueId', p_queue_id, 'message', m.value) ORDER BY m.ordinality),
                      '[]'::jsonb)
        FROM jsonb_array_elements(p_messages) WITH ORDINALITY AS m)) AS stored
   ORDER BY stored.item
$fn$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION store_inbound_messages(uuid, text, uuid, jsonb)`);
    await queryRunner.query(`DROP FUNCTION store_inbound_batch(jsonb)`);
    // The one-channel function as it was before: its own migration's body, not a copy of it.
    await new StoreInboundMessagesFunction1795237900000().up(queryRunner);
  }
}
