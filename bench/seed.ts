import { Pool } from 'pg';
import { BenchContext } from './scenario';

/** One customer conversation to create directly in SQL, with its contact and identity. */
export interface ChatSeed {
  externalId: string;
  operatorId: string | null;
  queueId: string | null;
  status: 'queued' | 'active';
  unreadCount: number;
}

/** Creates contacts, identities and chats in one statement; returns the chat ids in the order given. */
export async function insertChats(db: Pool, channelId: string, seeds: ChatSeed[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string; external_chat_id: string }>(
    `WITH seeds AS MATERIALIZED (
       SELECT gen_random_uuid() AS contact_id, gen_random_uuid() AS chat_id, s.*
         FROM unnest($2::varchar[], $3::uuid[], $4::uuid[], $5::varchar[], $6::int[])
              AS s(external_id, operator_id, queue_id, status, unread_count)),
     new_contacts AS (
       INSERT INTO contacts (id, name) SELECT contact_id, 'Customer ' || external_id FROM seeds),
     new_identities AS (
       INSERT INTO contact_identities (contact_id, channel_id, external_user_id)
       SELECT contact_id, $1, external_id FROM seeds)
     INSERT INTO chats (id, channel_id, contact_id, external_chat_id, operator_id, queue_id, status, unread_count)
     SELECT chat_id, $1, contact_id, external_id, operator_id, queue_id, status, unread_count FROM seeds
     RETURNING id, external_chat_id`,
    [
      channelId,
      seeds.map((seed) => seed.externalId),
      seeds.map((seed) => seed.operatorId),
      seeds.map((seed) => seed.queueId),
      seeds.map((seed) => seed.status),
      seeds.map((seed) => seed.unreadCount),
    ],
  );
  const idByExternalId = new Map(rows.map((row) => [row.external_chat_id, row.id]));
  return seeds.map((seed) => idByExternalId.get(seed.externalId)!);
}

/**
 * Gives each chat `messagesPerChat` messages (two from the customer, then an agent's reply), interleaved
 * across the chats as real traffic is, so one chat's page is spread over the heap; then points each
 * chat at its newest message.
 */
export async function insertConversations(
  db: Pool,
  channelId: string,
  chatIds: string[],
  messagesPerChat: number,
): Promise<void> {
  await db.query(
    `WITH targets AS (
       SELECT c.id, c.contact_id, c.operator_id, t.position - 1 AS position
         FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, position) JOIN chats c ON c.id = t.id),
     numbered AS (
       SELECT g, g / $3::int + 1 AS seq, g % $3::int AS position, (g / $3::int) % 3 = 2 AS reply
         FROM generate_series(0, $3::int * $4::int - 1) AS g)
     INSERT INTO messages (chat_id, channel_id, seq, direction, sender_type, sender_id, text, status,
                           provider_message_id, sent_at, created_at, updated_at)
     SELECT t.id, $2, n.seq,
            CASE WHEN n.reply THEN 'out' ELSE 'in' END,
            CASE WHEN NOT n.reply THEN 'contact' WHEN t.operator_id IS NULL THEN 'supervisor' ELSE 'operator' END,
            CASE WHEN n.reply THEN t.operator_id ELSE t.contact_id END,
            'Message ' || n.seq || ' of this conversation: ' || md5(n.g::text),
            CASE WHEN n.reply THEN 'sent' ELSE 'received' END,
            'seed-' || n.g, stamp, stamp, stamp
       FROM numbered n JOIN targets t ON t.position = n.position,
            LATERAL (SELECT now() - make_interval(secs => $3::int * $4::int - n.g)) AS s(stamp)`,
    [chatIds, channelId, chatIds.length, messagesPerChat],
  );
  await db.query(
    `UPDATE chats c SET last_seq = m.seq, last_message_id = m.id, last_message_at = m.created_at
       FROM (SELECT DISTINCT ON (chat_id) chat_id, seq, id, created_at FROM messages
              WHERE chat_id = ANY($1::uuid[]) ORDER BY chat_id, seq DESC) AS m
      WHERE c.id = m.chat_id`,
    [chatIds],
  );
}

/**
 * Queues `count` supervisor replies spread over the channel's chats, as the dispatcher finds them
 * after an outage; with `dueNow` false they have no due time, so only a baseline takes them.
 */
export async function insertQueuedReplies(
  db: Pool,
  channelId: string,
  count: number,
  dueNow = true,
): Promise<string[]> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: string }>(
      `WITH targets AS (
         SELECT id, last_seq, row_number() OVER (ORDER BY id) - 1 AS position, count(*) OVER () AS chats
           FROM chats WHERE channel_id = $1)
       INSERT INTO messages (chat_id, channel_id, seq, direction, sender_type, text, status, client_message_id, next_attempt_at)
       SELECT t.id, $1, t.last_seq + g / t.chats + 1, 'out', 'supervisor', 'Reply ' || g, 'queued', 'drain-' || g,
              CASE WHEN $3::boolean THEN now() END
         FROM generate_series(0, $2::int - 1) AS g JOIN targets t ON t.position = g % t.chats
       RETURNING id::text`,
      [channelId, count, dueNow],
    );
    await client.query(
      `UPDATE chats c SET last_seq = m.seq, last_message_id = m.id, last_message_at = now()
         FROM (SELECT DISTINCT ON (chat_id) chat_id, seq, id FROM messages
                WHERE channel_id = $1 ORDER BY chat_id, seq DESC) AS m
        WHERE c.id = m.chat_id`,
      [channelId],
    );
    await client.query('COMMIT');
    return rows.map((row) => row.id);
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** Sets hint bits, the visibility map and planner statistics, as autovacuum would have on a live database. */
export async function vacuumAnalyze(db: Pool): Promise<void> {
  await db.query('VACUUM (ANALYZE) messages, chats, contacts, contact_identities, operators, queue_members');
}

/**
 * Writes the seed's dirty pages out now. Left to the checkpointer, gigabytes of them are written
 * during the next measurements, and every commit's WAL flush waits behind those writes: the drain,
 * one commit per message, then measured the seed, not the table's size. A live database has no
 * bulk load of seconds ago. CHECKPOINT needs superuser or pg_checkpoint; without them, says so.
 */
export async function flushSeedWrites(context: Pick<BenchContext, 'db' | 'progress'>): Promise<void> {
  try {
    await context.db.query('CHECKPOINT');
  } catch (error) {
    context.progress(`CHECKPOINT refused (${(error as Error).message}): the figures after seeding include its writes`);
  }
}

/** Waits until no background job is due (profile lookups of new contacts), so one scenario's tail does not load the next. */
export async function waitForDueJobs(db: Pool, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await db.query<{ due: number }>(
      `SELECT count(*)::int AS due FROM jobs WHERE status IN ('pending', 'running') AND run_at <= now()`,
    );
    if (rows[0].due === 0) return;
    await new Promise((done) => setTimeout(done, 100));
  }
}

/**
 * Grows `messages` to `factor` times its rows with old conversations in `chatIds`, as a bulk load
 * does: the secondary indexes are dropped, the rows inserted from generate_series, the indexes
 * built again from their own definitions, then VACUUM (ANALYZE). Returns the rows added.
 */
export async function growMessages(db: Pool, channelId: string, chatIds: string[], factor: number): Promise<number> {
  const client = await db.connect();
  try {
    const { rows: stored } = await client.query<{ count: number }>('SELECT count(*)::int AS count FROM messages');
    const added = stored[0].count * (factor - 1);
    await client.query('BEGIN');
    await client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
    const { rows: indexes } = await client.query<{ name: string; definition: string }>(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
        WHERE tablename = 'messages'
          AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'messages'::regclass)`,
    );
    for (const index of indexes) await client.query(`DROP INDEX "${index.name}"`);
    // Lean rows (a short text, one timestamp for all): the cost here is writing the heap and its WAL.
    await client.query(
      `WITH targets AS (
         SELECT c.id, c.contact_id, t.position - 1 AS position
           FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, position) JOIN chats c ON c.id = t.id)
       INSERT INTO messages (chat_id, channel_id, seq, direction, sender_type, sender_id, text, status,
                             sent_at, created_at, updated_at)
       SELECT t.id, $2, g / $3::int + 1, 'in', 'contact', t.contact_id, 'Archived message', 'received',
              s.stamp, s.stamp, s.stamp
         FROM (SELECT now() - interval '400 days' AS stamp) AS s,
              generate_series(0, $4::int - 1) AS g JOIN targets t ON t.position = g % $3::int`,
      [chatIds, channelId, chatIds.length, added],
    );
    for (const index of indexes) await client.query(index.definition);
    await client.query('COMMIT');
    await client.query('VACUUM (ANALYZE) messages');
    return added;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
