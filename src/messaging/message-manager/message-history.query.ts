import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { MessageDirection, MessageSenderType, MessageStatus } from '../../chats/message.entity';
import type { FileStatus } from '../../files/message-file.entity';

export interface AttachmentView {
  id: string;
  kind: string;
  fileName: string | null;
  mimeType: string | null;
  size: number | null;
  sha256: string | null;
  status: FileStatus;
  error: string | null;
  /** `/files/:id` once stored; the original URL for outgoing attachments sent by URL. */
  url: string | null;
}

export interface MessageView {
  id: string;
  chatId: string;
  /** The message's place in its chat; pages are ordered by it. */
  seq: number;
  direction: MessageDirection;
  senderType: MessageSenderType;
  senderId: string | null;
  text: string | null;
  status: MessageStatus;
  error: string | null;
  providerMessageId: string | null;
  clientMessageId: string | null;
  sentAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  attachments: AttachmentView[];
}

export interface MessagePage {
  items: MessageView[];
  /** Pass as `before` to get the next (older) page; null on the last page. */
  nextCursor: string | null;
}

const MESSAGE_COLUMNS = `
  m.id::text AS "id", m.chat_id AS "chatId", m.seq, m.direction, m.sender_type AS "senderType", m.sender_id AS "senderId",
  m.text, m.status, m.error, m.provider_message_id AS "providerMessageId", m.client_message_id AS "clientMessageId",
  m.sent_at AS "sentAt", m.created_at AS "createdAt", m.updated_at AS "updatedAt",
  (SELECT coalesce(json_agg(json_build_object(
            'id', f.id, 'kind', f.kind, 'fileName', f.file_name, 'mimeType', f.mime_type, 'size', f.size,
            'sha256', f.sha256, 'status', f.status, 'error', f.error,
            'url', CASE f.status WHEN 'stored' THEN '/files/' || f.id WHEN 'remote' THEN f.source_url END)
          ORDER BY f.created_at), '[]')
     FROM message_files f WHERE f.message_id = m.id) AS attachments`;

/** Reads messages with their attachments, newest first, by keyset on the message id. */
@Injectable()
export class MessageHistoryQuery {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async page(chatId: string, before: string | undefined, limit: number): Promise<MessagePage> {
    const items = await this.dataSource.query<MessageView[]>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m
        WHERE m.chat_id = $1 AND ($2::bigint IS NULL OR m.seq < $2::bigint)
        ORDER BY m.seq DESC LIMIT $3`,
      [chatId, before ?? null, limit],
    );
    return { items, nextCursor: items.length === limit ? String(items[items.length - 1].seq) : null };
  }

  async one(messageId: string): Promise<MessageView> {
    const [message] = await this.dataSource.query<MessageView[]>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.id = $1`,
      [messageId],
    );
    return message;
  }
}
