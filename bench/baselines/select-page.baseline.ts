import { Pool } from 'pg';
import { BaselineHandler } from './baseline-handler';

const PAGE_PATH = /^\/chats\/([0-9a-f-]{36})\/messages\?(.*)$/;

/**
 * The history baseline: the same page as `GET /chats/:id/messages?before=&limit=` with one
 * indexed SELECT (uq_messages_chat_seq), serialised as JSON. No auth, no chat lookup, no attachments.
 */
export function selectPageBaseline(db: Pool): BaselineHandler {
  return async (url) => {
    const [, chatId, query] = PAGE_PATH.exec(url) ?? [];
    if (!chatId) return { status: 404, body: '{}' };
    const params = new URLSearchParams(query);
    const limit = Number(params.get('limit') ?? 50);
    const { rows } = await db.query<{ seq: number }>(
      `SELECT id::text, chat_id, seq, direction, sender_type, sender_id, text, status, error, provider_message_id,
              client_message_id, sent_at, created_at, updated_at
         FROM messages WHERE chat_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`,
      [chatId, params.get('before') ?? 2 ** 31 - 1, limit],
    );
    const nextCursor = rows.length === limit ? String(rows[rows.length - 1].seq) : null;
    return { status: 200, body: JSON.stringify({ items: rows, nextCursor }) };
  };
}
