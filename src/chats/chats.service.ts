import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Principal } from '../common/auth/principal';
import { AppError } from '../common/errors/app-error';
import { ChatStatus } from './chat.entity';
import { chatScope, scopeParameter } from './chat-scope';
import { ListChatsQuery } from './dto/chat-queries.dto';

export interface ChatView {
  id: string;
  status: ChatStatus;
  externalChatId: string;
  channel: { id: string; name: string; provider: string };
  contact: { id: string; name: string; avatarUrl: string | null };
  queueId: string | null;
  operatorId: string | null;
  unreadCount: number;
  lastMessage: { id: string; direction: string; text: string | null; status: string; createdAt: string } | null;
  lastMessageAt: Date | null;
  createdAt: Date;
  closedAt: Date | null;
}

export interface ChatPage {
  items: ChatView[];
  nextCursor: string | null;
}

export interface UnreadCounts {
  chats: number;
  messages: number;
}

const CHAT_VIEW = `
  SELECT c.id, c.status, c.external_chat_id AS "externalChatId", c.queue_id AS "queueId", c.operator_id AS "operatorId",
         c.unread_count AS "unreadCount", c.last_message_at AS "lastMessageAt", c.created_at AS "createdAt",
         c.closed_at AS "closedAt", c.last_message_id::text AS cursor,
         json_build_object('id', ch.id, 'name', ch.name, 'provider', ch.provider) AS channel,
         json_build_object('id', ct.id, 'name', ct.name, 'avatarUrl', ct.avatar_url) AS contact,
         (SELECT json_build_object('id', m.id::text, 'direction', m.direction, 'text', m.text, 'status', m.status,
                                   'createdAt', m.created_at)
            FROM messages m WHERE m.id = c.last_message_id) AS "lastMessage"
    FROM chats c
    JOIN channels ch ON ch.id = c.channel_id
    JOIN contacts ct ON ct.id = c.contact_id`;

/** Chat lists, details and unread counts, scoped to the caller, newest activity first. */
@Injectable()
export class ChatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** GetChats: keyset-paginated on the last message id. */
  async list(principal: Principal, query: ListChatsQuery): Promise<ChatPage> {
    const filters = `($1::uuid IS NULL OR c.channel_id = $1) AND ($2::varchar IS NULL OR c.status = $2)
                     AND ($3::bigint IS NULL OR c.last_message_id < $3::bigint)`;
    const rows = await this.dataSource.query<(ChatView & { cursor: string })[]>(
      principal.kind === 'operator'
        ? operatorPage(filters)
        : `${CHAT_VIEW} WHERE ${filters} ORDER BY c.last_message_id DESC LIMIT $4`,
      [
        query.channelId ?? null,
        query.status ?? null,
        query.cursor ?? null,
        query.limit,
        ...operatorParameter(principal),
      ],
    );
    const nextCursor = rows.length === query.limit ? rows[rows.length - 1].cursor : null;
    return { items: rows.map(withoutCursor), nextCursor };
  }

  /** AppError NOT_FOUND both when the chat does not exist and when the caller may not see it. */
  async get(principal: Principal, id: string): Promise<ChatView> {
    const [row] = await this.dataSource.query<(ChatView & { cursor: string })[]>(
      `${CHAT_VIEW} WHERE c.id = $1 AND ${chatScope.readable(principal, '$2')}`,
      [id, scopeParameter(principal)],
    );
    if (!row) throw AppError.notFound('Chat', id);
    return withoutCursor(row);
  }

  /** AppError NOT_FOUND unless the chat exists and the caller may read it; a light check before reading its messages. */
  async assertReadable(principal: Principal, id: string): Promise<void> {
    const [row] = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM chats c WHERE c.id = $1 AND ${chatScope.readable(principal, '$2')}`,
      [id, scopeParameter(principal)],
    );
    if (!row) throw AppError.notFound('Chat', id);
  }

  /**
   * GetUnreadChatsCount and GetUnreadMessagesCount over the caller's open work. Each chat keeps its
   * unread counter, so this sums a handful of counters instead of counting message rows.
   */
  async unreadCounts(principal: Principal): Promise<UnreadCounts> {
    const [row] = await this.dataSource.query<UnreadCounts[]>(
      `SELECT count(*) FILTER (WHERE c.unread_count > 0)::int AS chats, coalesce(sum(c.unread_count), 0)::int AS messages
         FROM chats c WHERE c.status <> 'closed' AND c.unread_count > 0 AND ${chatScope.listed(principal, '$1')}`,
      [scopeParameter(principal)],
    );
    return row;
  }
}

/**
 * An operator's page as two ordered index scans (their own chats; chats waiting unassigned in
 * their queues), merged: one scan over all chats filtered by scope reads thousands of rows.
 */
function operatorPage(filters: string): string {
  return `WITH page AS (
      (SELECT c.id, c.last_message_id FROM chats c WHERE c.operator_id = $5 AND ${filters}
        ORDER BY c.last_message_id DESC LIMIT $4)
      UNION ALL
      (SELECT c.id, c.last_message_id FROM chats c
        WHERE c.operator_id IS NULL AND c.status = 'queued'
          AND c.queue_id IN (SELECT queue_id FROM queue_members WHERE operator_id = $5) AND ${filters}
        ORDER BY c.last_message_id DESC LIMIT $4)
      ORDER BY last_message_id DESC LIMIT $4)
    ${CHAT_VIEW} JOIN page ON page.id = c.id ORDER BY c.last_message_id DESC`;
}

function operatorParameter(principal: Principal): string[] {
  return principal.kind === 'operator' ? [principal.operator.id] : [];
}

function withoutCursor({ cursor: _cursor, ...chat }: ChatView & { cursor: string }): ChatView {
  return chat;
}
