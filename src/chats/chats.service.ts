import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { ChatStatus } from './chat.entity';
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

/** Chat lists and details, newest activity first, keyset-paginated on the last message id. */
@Injectable()
export class ChatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(query: ListChatsQuery): Promise<ChatPage> {
    const rows: (ChatView & { cursor: string })[] = await this.dataSource.query(
      `${CHAT_VIEW}
        WHERE ($1::uuid IS NULL OR c.channel_id = $1) AND ($2::varchar IS NULL OR c.status = $2)
          AND ($3::bigint IS NULL OR c.last_message_id < $3::bigint)
        ORDER BY c.last_message_id DESC LIMIT $4`,
      [query.channelId ?? null, query.status ?? null, query.cursor ?? null, query.limit],
    );
    const nextCursor = rows.length === query.limit ? rows[rows.length - 1].cursor : null;
    return { items: rows.map(withoutCursor), nextCursor };
  }

  async get(id: string): Promise<ChatView> {
    const [row] = await this.dataSource.query(`${CHAT_VIEW} WHERE c.id = $1`, [id]);
    if (!row) throw AppError.notFound('Chat', id);
    return withoutCursor(row);
  }
}

function withoutCursor({ cursor: _cursor, ...chat }: ChatView & { cursor: string }): ChatView {
  return chat;
}
