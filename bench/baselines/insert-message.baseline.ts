import { Pool } from 'pg';
import { BaselineHandler } from './baseline-handler';

export interface InsertMessageConfig {
  channelId: string;
  chats: { id: string; contactId: string }[];
}

interface WebhookBody {
  messages: { id: string; text: string; timestamp: number }[];
}

/**
 * The ingest baseline: the webhook's message as one parameterised INSERT of the row the service
 * stores, committed before the answer. No signature check, no contact or chat lookup: the floor.
 */
export function insertMessageBaseline(db: Pool, config: unknown): BaselineHandler {
  const { channelId, chats } = config as InsertMessageConfig;
  const lastSeq = new Map<string, number>();
  let requests = 0;
  return async (_url, body) => {
    const [message] = (JSON.parse(body) as WebhookBody).messages;
    const chat = chats[requests++ % chats.length];
    // This process is the only writer of these chats, so it can number their messages itself.
    const seq = (lastSeq.get(chat.id) ?? 0) + 1;
    lastSeq.set(chat.id, seq);
    await db.query(
      `INSERT INTO messages (chat_id, channel_id, seq, direction, sender_type, sender_id, text, status, provider_message_id, sent_at)
       VALUES ($1, $2, $3, 'in', 'contact', $4, $5, 'received', $6, $7)`,
      [chat.id, channelId, seq, chat.contactId, message.text, message.id, new Date(message.timestamp * 1000)],
    );
    return { status: 200, body: '{"stored":1,"duplicates":0,"statusUpdates":0}' };
  };
}
