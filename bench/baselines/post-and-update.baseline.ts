import { createHmac } from 'node:crypto';
import { Pool } from 'pg';
import { BASELINE_POOL_SIZE } from './baseline-handler';

interface QueuedReply {
  id: string;
  externalChatId: string;
  text: string;
}

export interface PostAndUpdateOptions {
  databaseUrl: string;
  channelId: string;
  receiverUrl: string;
  secret: string;
  /** Deliveries in flight at once: the outbox's batch size. */
  concurrency: number;
}

/** A refused attempt is tried again after the receiver's Retry-After, else after this. */
const RETRY_AFTER_MS = 1_000;

/**
 * The drain baseline: reads the channel's queued replies once, then POSTs each, signed, to the
 * receiver with `concurrency` in flight, and marks each accepted one `sent` with one UPDATE. No
 * lease, no claim, no event row: the floor of posting and recording. Resolves to the seconds taken.
 */
export async function postAndUpdate(options: PostAndUpdateOptions): Promise<number> {
  const db = new Pool({ connectionString: options.databaseUrl, max: BASELINE_POOL_SIZE });
  try {
    const startedAt = performance.now();
    const { rows } = await db.query<QueuedReply>(
      `SELECT m.id::text, c.external_chat_id AS "externalChatId", m.text
         FROM messages m JOIN chats c ON c.id = m.chat_id
        WHERE m.channel_id = $1 AND m.status = 'queued' ORDER BY m.id`,
      [options.channelId],
    );
    const waiting = [...rows];
    const worker = async () => {
      for (let reply = waiting.shift(); reply; reply = waiting.shift()) await deliver(db, options, reply);
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    return (performance.now() - startedAt) / 1000;
  } finally {
    await db.end();
  }
}

async function deliver(db: Pool, options: PostAndUpdateOptions, reply: QueuedReply): Promise<void> {
  for (;;) {
    const body = JSON.stringify({
      messageId: reply.id,
      chatId: reply.externalChatId,
      text: reply.text,
      attachments: [],
    });
    const signature = `sha256=${createHmac('sha256', options.secret).update(body).digest('hex')}`;
    const response = await fetch(options.receiverUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature-256': signature },
      body,
    });
    const answer = (await response.json()) as { id?: string };
    if (response.ok) {
      await db.query(
        `UPDATE messages SET status = 'sent', provider_message_id = $2, sent_at = now(), next_attempt_at = NULL,
                updated_at = now() WHERE id = $1`,
        [reply.id, answer.id],
      );
      return;
    }
    const retryAfterSeconds = Number(response.headers.get('retry-after'));
    await new Promise((done) => setTimeout(done, retryAfterSeconds > 0 ? retryAfterSeconds * 1000 : RETRY_AFTER_MS));
  }
}
