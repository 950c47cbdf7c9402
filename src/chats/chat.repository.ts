import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';
import { ChatStatus } from './chat.entity';

/** A chat as the agent API shows it: with its channel, contact and last message. */
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

/** A row of a chat list: the view and its keyset cursor (the last message id). */
export type ChatListRow = ChatView & { cursor: string };

/** Which chats a list shows; `before` is a last message id (the previous page's cursor). */
export interface ChatListFilter {
  channelId: string | null;
  status: ChatStatus | null;
  before: string | null;
  limit: number;
}

/** Unread customer messages across the caller's open chats. */
export interface UnreadCounts {
  /** Chats with at least one. */
  chats: number;
  messages: number;
}

/** What deciding an action on a chat needs to know. */
export interface ChatForAction {
  id: string;
  status: ChatStatus;
  operatorId: string | null;
  queueId: string | null;
  provider: string;
}

/** Where a reply to the chat goes. */
export interface ChatSendTarget {
  channelId: string;
  externalChatId: string;
  status: ChatStatus;
  provider: string;
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

/**
 * The only reader and writer of `chats`. Where a method takes `readerOperatorId`, it returns only a
 * chat that operator may read (their own, and every chat of their queues); null stands for the
 * supervisor (the admin token), who reads every chat.
 */
@Injectable()
export class ChatRepository {
  constructor(private readonly transactions: Transactions) {}

  /**
   * An operator's work list, newest activity first: their own chats, and chats waiting unassigned
   * in their queues. Two ordered index scans merged, because one scan over all chats filtered by
   * that rule reads thousands of rows.
   */
  pageForOperator(operatorId: string, filter: ChatListFilter): Promise<ChatListRow[]> {
    return this.transactions.manager.query(
      `WITH page AS (
          (SELECT c.id, c.last_message_id FROM chats c
            WHERE c.operator_id = $5
              AND ($1::uuid IS NULL OR c.channel_id = $1) AND ($2::varchar IS NULL OR c.status = $2)
              AND ($3::bigint IS NULL OR c.last_message_id < $3::bigint)
            ORDER BY c.last_message_id DESC LIMIT $4)
          UNION ALL
          (SELECT c.id, c.last_message_id FROM chats c
            WHERE c.operator_id IS NULL AND c.status = 'queued'
              AND c.queue_id IN (SELECT queue_id FROM queue_members WHERE operator_id = $5)
              AND ($1::uuid IS NULL OR c.channel_id = $1) AND ($2::varchar IS NULL OR c.status = $2)
              AND ($3::bigint IS NULL OR c.last_message_id < $3::bigint)
            ORDER BY c.last_message_id DESC LIMIT $4)
          ORDER BY last_message_id DESC LIMIT $4)
        ${CHAT_VIEW} JOIN page ON page.id = c.id ORDER BY c.last_message_id DESC`,
      [filter.channelId, filter.status, filter.before, filter.limit, operatorId],
    );
  }

  /** Every chat, newest activity first: the supervisor's list. */
  pageForSupervisor(filter: ChatListFilter): Promise<ChatListRow[]> {
    return this.transactions.manager.query(
      `${CHAT_VIEW}
        WHERE ($1::uuid IS NULL OR c.channel_id = $1) AND ($2::varchar IS NULL OR c.status = $2)
          AND ($3::bigint IS NULL OR c.last_message_id < $3::bigint)
        ORDER BY c.last_message_id DESC LIMIT $4`,
      [filter.channelId, filter.status, filter.before, filter.limit],
    );
  }

  /** The chat as the agent API shows it, if the reader may read it. */
  async viewFor(chatId: string, readerOperatorId: string | null): Promise<ChatListRow | null> {
    const [row] = await this.transactions.manager.query<ChatListRow[]>(
      `${CHAT_VIEW}
        WHERE c.id = $1
          AND ($2::uuid IS NULL OR c.operator_id = $2 OR c.queue_id IN (SELECT queue_id FROM queue_members WHERE operator_id = $2))`,
      [chatId, readerOperatorId],
    );
    return row ?? null;
  }

  /**
   * Unread customer messages in an operator's work list (their open chats, and chats waiting
   * unassigned in their queues). Each chat keeps its counter, so this sums a handful of counters.
   */
  async countUnreadForOperator(operatorId: string): Promise<UnreadCounts> {
    const [counts] = await this.transactions.manager.query<UnreadCounts[]>(
      `SELECT count(*)::int AS chats, coalesce(sum(c.unread_count), 0)::int AS messages
         FROM chats c
        WHERE c.status <> 'closed' AND c.unread_count > 0
          AND (c.operator_id = $1
               OR (c.operator_id IS NULL AND c.queue_id IN (SELECT queue_id FROM queue_members WHERE operator_id = $1)))`,
      [operatorId],
    );
    return counts;
  }

  /** Unread customer messages across every open chat. */
  async countUnreadForSupervisor(): Promise<UnreadCounts> {
    const [counts] = await this.transactions.manager.query<UnreadCounts[]>(
      `SELECT count(*)::int AS chats, coalesce(sum(c.unread_count), 0)::int AS messages
         FROM chats c WHERE c.status <> 'closed' AND c.unread_count > 0`,
    );
    return counts;
  }

  /** The chat, if the reader may read it. */
  async findForAction(chatId: string, readerOperatorId: string | null): Promise<ChatForAction | null> {
    const [chat] = await this.transactions.manager.query<ChatForAction[]>(
      `SELECT c.id, c.status, c.operator_id AS "operatorId", c.queue_id AS "queueId", ch.provider
         FROM chats c JOIN channels ch ON ch.id = c.channel_id
        WHERE c.id = $1
          AND ($2::uuid IS NULL OR c.operator_id = $2 OR c.queue_id IN (SELECT queue_id FROM queue_members WHERE operator_id = $2))`,
      [chatId, readerOperatorId],
    );
    return chat ?? null;
  }

  /** The same, locking the chat's row until the transaction ends: for changes that depend on its state. */
  async lockForAction(chatId: string, readerOperatorId: string | null): Promise<ChatForAction | null> {
    const [chat] = await this.transactions.manager.query<ChatForAction[]>(
      `SELECT c.id, c.status, c.operator_id AS "operatorId", c.queue_id AS "queueId", ch.provider
         FROM chats c JOIN channels ch ON ch.id = c.channel_id
        WHERE c.id = $1
          AND ($2::uuid IS NULL OR c.operator_id = $2 OR c.queue_id IN (SELECT queue_id FROM queue_members WHERE operator_id = $2))
        FOR UPDATE OF c`,
      [chatId, readerOperatorId],
    );
    return chat ?? null;
  }

  /**
   * The operator takes the waiting chat (unassigned, or offered to them), which becomes active;
   * false when it is not waiting or another operator has it, so of two accepting at once one wins.
   */
  async accept(chatId: string, operatorId: string): Promise<boolean> {
    const [, accepted] = await this.transactions.manager.query<[unknown[], number]>(
      `UPDATE chats SET operator_id = $2, status = 'active'
        WHERE id = $1 AND status = 'queued' AND (operator_id IS NULL OR operator_id = $2)`,
      [chatId, operatorId],
    );
    return accepted > 0;
  }

  async resetUnread(chatId: string): Promise<void> {
    await this.transactions.manager.query(`UPDATE chats SET unread_count = 0 WHERE id = $1`, [chatId]);
  }

  async close(chatId: string): Promise<void> {
    await this.transactions.manager.query(`UPDATE chats SET status = 'closed', closed_at = now() WHERE id = $1`, [
      chatId,
    ]);
  }

  /** Hands the chat to the operator: it becomes theirs, active. */
  async assign(chatId: string, operatorId: string): Promise<void> {
    await this.transactions.manager.query(`UPDATE chats SET operator_id = $2, status = 'active' WHERE id = $1`, [
      chatId,
      operatorId,
    ]);
  }

  /** Puts the chat back in a queue, unassigned: it waits there. */
  async moveToQueue(chatId: string, queueId: string): Promise<void> {
    await this.transactions.manager.query(
      `UPDATE chats SET operator_id = NULL, queue_id = $2, status = 'queued' WHERE id = $1`,
      [chatId, queueId],
    );
  }

  /** Offers the waiting chat to the operator (status stays 'queued'); false when it left the queue or was taken meanwhile. */
  async offer(chatId: string, queueId: string, operatorId: string): Promise<boolean> {
    const [, offered] = await this.transactions.manager.query<[unknown[], number]>(
      `UPDATE chats SET operator_id = $2 WHERE id = $1 AND queue_id = $3 AND status = 'queued' AND operator_id IS NULL`,
      [chatId, operatorId, queueId],
    );
    return offered > 0;
  }

  /** Takes back every chat offered to the operator and not yet accepted; resolves to those chats. */
  async releaseOffers(operatorId: string): Promise<{ id: string; queueId: string | null }[]> {
    const [released] = await this.transactions.manager.query<[{ id: string; queueId: string | null }[], number]>(
      `UPDATE chats SET operator_id = NULL WHERE operator_id = $1 AND status = 'queued' RETURNING id, queue_id AS "queueId"`,
      [operatorId],
    );
    return released;
  }

  async findSendTarget(chatId: string): Promise<ChatSendTarget | null> {
    const [chat] = await this.transactions.manager.query<ChatSendTarget[]>(
      `SELECT c.channel_id AS "channelId", c.external_chat_id AS "externalChatId", c.status, ch.provider
         FROM chats c JOIN channels ch ON ch.id = c.channel_id
        WHERE c.id = $1`,
      [chatId],
    );
    return chat ?? null;
  }

  /**
   * Takes the conversation's transaction-scoped advisory lock. Everyone writing a chat's messages
   * holds it first (the store_inbound_messages function takes the same name), which keeps per-chat
   * sequence numbers gap-free and unique.
   */
  async lockConversation(channelId: string, externalChatId: string): Promise<void> {
    await this.transactions.manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))`, [
      `${channelId}:chat:${externalChatId}`,
    ]);
  }

  /** The conversation's newest chat, open or closed. */
  async latestInConversation(channelId: string, externalChatId: string): Promise<string | null> {
    const [chat] = await this.transactions.manager.query<{ id: string }[]>(
      `SELECT id FROM chats WHERE channel_id = $1 AND external_chat_id = $2 ORDER BY created_at DESC LIMIT 1`,
      [channelId, externalChatId],
    );
    return chat?.id ?? null;
  }
}
