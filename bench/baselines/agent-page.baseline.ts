import { Pool } from 'pg';
import { BaselineHandler } from './baseline-handler';

export interface AgentPageConfig {
  /** Bearer token to operator id: the baseline looks nothing up. */
  operatorIdByToken: Record<string, string>;
}

const PAGE_SIZE = 20;

/** The operator's chats and the chats waiting in their queues, newest activity first, with channel, contact and last message. */
const CHAT_PAGE = `
  SELECT c.id, c.status, c.external_chat_id AS "externalChatId", c.queue_id AS "queueId", c.operator_id AS "operatorId",
         c.unread_count AS "unreadCount", c.last_message_at AS "lastMessageAt", c.created_at AS "createdAt",
         c.closed_at AS "closedAt",
         json_build_object('id', ch.id, 'name', ch.name, 'provider', ch.provider) AS channel,
         json_build_object('id', ct.id, 'name', ct.name, 'avatarUrl', ct.avatar_url) AS contact,
         json_build_object('id', m.id::text, 'direction', m.direction, 'text', m.text, 'status', m.status,
                           'createdAt', m.created_at) AS "lastMessage"
    FROM chats c
    JOIN channels ch ON ch.id = c.channel_id
    JOIN contacts ct ON ct.id = c.contact_id
    LEFT JOIN messages m ON m.id = c.last_message_id
   WHERE c.id IN ((SELECT id FROM chats WHERE operator_id = $1 ORDER BY last_message_id DESC LIMIT $2)
                  UNION ALL
                  (SELECT id FROM chats WHERE operator_id IS NULL AND status = 'queued'
                      AND queue_id IN (SELECT queue_id FROM queue_members WHERE operator_id = $1)
                    ORDER BY last_message_id DESC LIMIT $2))
   ORDER BY c.last_message_id DESC LIMIT $2`;

const UNREAD_COUNTS = `
  SELECT count(*)::int AS chats, coalesce(sum(unread_count), 0)::int AS messages FROM chats
   WHERE status <> 'closed' AND unread_count > 0
     AND (operator_id = $1
          OR (operator_id IS NULL AND queue_id IN (SELECT queue_id FROM queue_members WHERE operator_id = $1)))`;

/**
 * The agent list baseline: `GET /chats`, `/chats/unread-count` and `/messages/unread-count` of the
 * token's operator, each one SELECT serialised as JSON. No token lookup, no validation.
 */
export function agentPageBaseline(db: Pool, config: unknown): BaselineHandler {
  const { operatorIdByToken } = config as AgentPageConfig;
  return async (url, _body, authorization) => {
    const operatorId = operatorIdByToken[authorization.replace(/^Bearer /, '')];
    if (!operatorId) return { status: 401, body: '{}' };
    if (url === '/chats') {
      const { rows } = await db.query(CHAT_PAGE, [operatorId, PAGE_SIZE]);
      return { status: 200, body: JSON.stringify({ items: rows, nextCursor: null }) };
    }
    const { rows } = await db.query<{ chats: number; messages: number }>(UNREAD_COUNTS, [operatorId]);
    const count = url === '/chats/unread-count' ? rows[0].chats : rows[0].messages;
    return { status: 200, body: JSON.stringify({ count }) };
  };
}
