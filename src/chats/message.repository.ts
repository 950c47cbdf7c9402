import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';
import type { FileStatus } from '../files/message-file.entity';
import type { DeliveryReceipt, UnifiedMessage } from '../messaging/contracts/unified-message';
import type { MessageDirection, MessageSenderType, MessageStatus } from './message.entity';

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

/** A message as the agent API shows it, with its attachments. */
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

export interface OutgoingMessageRow {
  chatId: string;
  channelId: string;
  senderType: Exclude<MessageSenderType, 'contact'>;
  senderId: string | null;
  text: string | null;
  clientMessageId: string;
}

export interface StoredInboundMessage {
  messageId: string;
  chatId: string;
  /** Whether storing it opened a new chat. */
  opened: boolean;
}

/** The channel an inbound message arrived on, as the store needs it. */
export interface InboundChannel {
  id: string;
  name: string;
  queueId: string | null;
}

/** One new customer message and its channel, an item of storeInboundBatch. */
export interface InboundItem {
  channel: InboundChannel;
  message: UnifiedMessage;
}

export interface StoredInboundItem extends StoredInboundMessage {
  /** The item's 0-based place in the batch. */
  item: number;
}

/** A message an edit or a receipt changed. */
export interface ChangedMessage {
  id: string;
  chatId: string;
}

export interface DeliveryState {
  chatId: string;
  status: MessageStatus;
  error: string | null;
  attempts: number;
  providerMessageId: string | null;
  channelName: string;
  channelError: string | null;
  /** Active and not deleted: its queued replies go out. */
  channelUsable: boolean;
}

/** An outgoing message claimed for one send attempt, with what the provider needs to send it. */
export interface ClaimedOutgoingMessage {
  id: string;
  attempts: number;
  exhausted: boolean;
  lastError: string | null;
  channelId: string;
  provider: string;
  externalChatId: string;
  recipientExternalId: string;
  text: string | null;
  attachments: { kind: string; url: string | null; fileName: string | null; mimeType: string | null }[];
}

/** Which attempt of which message a settle is for: it changes nothing once a newer attempt took over. */
export interface OutgoingAttempt {
  id: string;
  attempts: number;
  channelId: string;
}

export type FinalOutgoingOutcome =
  { status: 'sent'; providerMessageId: string | null } | { status: 'failed'; error: string };

export interface FailedOutgoingMessage {
  id: string;
  chatId: string;
  channelId: string;
  error: string | null;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
}

const MESSAGE_VIEW = `
  m.id::text AS "id", m.chat_id AS "chatId", m.seq, m.direction, m.sender_type AS "senderType", m.sender_id AS "senderId",
  m.text, m.status, m.error, m.provider_message_id AS "providerMessageId", m.client_message_id AS "clientMessageId",
  m.sent_at AS "sentAt", m.created_at AS "createdAt", m.updated_at AS "updatedAt",
  (SELECT coalesce(json_agg(json_build_object(
            'id', f.id, 'kind', f.kind, 'fileName', f.file_name, 'mimeType', f.mime_type, 'size', f.size,
            'sha256', f.sha256, 'status', f.status, 'error', f.error,
            'url', CASE f.status WHEN 'stored' THEN '/files/' || f.id WHEN 'remote' THEN f.source_url END)
          ORDER BY f.created_at), '[]')
     FROM message_files f WHERE f.message_id = m.id) AS attachments`;

/**
 * A history page: prepared once per connection (planning cost more than running it), so its only
 * optional condition folds into the index bound (no `before` reads from the newest message).
 */
const MESSAGE_PAGE = `
  SELECT page.* FROM chats c
    LEFT JOIN LATERAL (
      SELECT ${MESSAGE_VIEW} FROM messages m
       WHERE m.chat_id = c.id AND m.seq < coalesce($2::bigint, 2147483647)
       ORDER BY m.seq DESC LIMIT $3) page ON true
   WHERE c.id = $1
     AND ($4::uuid IS NULL OR c.operator_id = $4 OR c.queue_id IN (SELECT queue_id FROM queue_members WHERE operator_id = $4))
   ORDER BY page.seq DESC`;

/** Outgoing statuses in the only order they may move; `failed` cannot undo a delivery or a read. */
const OUTGOING_STATUS_ORDER = `ARRAY['queued', 'sending', 'sent', 'failed', 'delivered', 'read']::varchar[]`;

/** The only reader and writer of `messages`. */
@Injectable()
export class MessageRepository {
  constructor(private readonly transactions: Transactions) {}

  // message manager: history pages, the outbound enqueue, inbound storing, edits, receipts, reads
  /**
   * A page of the chat's messages with their attachments, newest first: those before sequence
   * number `before`, if given. Null when the chat does not exist or the reader may not read it
   * (see ChatRepository: an operator reads their own chats and every chat of their queues; a null
   * reader is the supervisor). One statement: the access check is the page's driving row.
   */
  async pageByChat(
    chatId: string,
    page: { before: string | null; limit: number; readerOperatorId: string | null },
  ): Promise<MessageView[] | null> {
    const rows = await this.transactions.queryPrepared<MessageView | { id: null }>('message-page', MESSAGE_PAGE, [
      chatId,
      page.before,
      page.limit,
      page.readerOperatorId,
    ]);
    if (rows.length === 0) return null;
    return rows.filter((row): row is MessageView => row.id !== null);
  }

  async one(messageId: string): Promise<MessageView | null> {
    const [message] = await this.transactions.manager.query<MessageView[]>(
      `SELECT ${MESSAGE_VIEW} FROM messages m WHERE m.id = $1`,
      [messageId],
    );
    return message ?? null;
  }

  /** The chat's message sent with this idempotency key, if any. */
  async idByClientId(chatId: string, clientMessageId: string): Promise<string | null> {
    const [row] = await this.transactions.manager.query<{ id: string }[]>(
      `SELECT id::text FROM messages WHERE chat_id = $1 AND client_message_id = $2`,
      [chatId, clientMessageId],
    );
    return row?.id ?? null;
  }

  /**
   * Stores an agent's message as `queued`, due now, with the chat's next sequence number, and
   * points the chat at it, in one statement. Hold the conversation lock (ChatRepository.lockConversation).
   */
  async enqueueOutgoing(message: OutgoingMessageRow): Promise<string> {
    const [{ id }] = await this.transactions.manager.query<{ id: string }[]>(
      `WITH inserted AS (
         INSERT INTO messages (chat_id, seq, channel_id, direction, sender_type, sender_id, text, status,
                               client_message_id, next_attempt_at)
         SELECT $1, last_seq + 1, $2, 'out', $3, $4, $5, 'queued', $6, now() FROM chats WHERE id = $1
         RETURNING id, seq),
       chat AS (
         UPDATE chats SET last_seq = inserted.seq, last_message_id = inserted.id, last_message_at = now()
           FROM inserted WHERE chats.id = $1)
       SELECT id::text FROM inserted`,
      [message.chatId, message.channelId, message.senderType, message.senderId, message.text, message.clientMessageId],
    );
    return id;
  }

  /**
   * Stores new customer messages of one channel; see storeInboundBatch. Resolves to the messages
   * stored, in the order given; duplicates are left out.
   */
  storeInbound(channel: InboundChannel, messages: UnifiedMessage[]): Promise<StoredInboundMessage[]> {
    return this.storeInboundBatch(messages.map((message) => ({ channel, message })));
  }

  /**
   * Stores new customer messages of any channels with the `store_inbound_batch` database function
   * (migration StoreInboundBatchFunction): contact, identity, chat, message, files, follow-up jobs
   * and the message.created event in one round trip, under per-conversation advisory locks,
   * deduplicated on the provider's message id (also against items earlier in the same batch).
   * Resolves to one row per item stored, naming the item's place in `items`; duplicates are left out.
   */
  storeInboundBatch(items: InboundItem[]): Promise<StoredInboundItem[]> {
    const batch = items.map(({ channel, message }) => ({
      channelId: channel.id,
      channelName: channel.name,
      queueId: channel.queueId,
      message,
    }));
    return this.transactions.manager.query(
      `SELECT item, message_id::text AS "messageId", chat_id AS "chatId", opened FROM store_inbound_batch($1::jsonb)`,
      [JSON.stringify(batch)],
    );
  }

  /** Replaces the text of the customer message the provider id names; null when no such message was stored. */
  async applyEdit(
    channelId: string,
    edit: { externalMessageId: string; text: string | null; editedAt: Date },
  ): Promise<ChangedMessage | null> {
    const [edited] = await this.transactions.manager.query<[ChangedMessage[], number]>(
      `UPDATE messages SET text = $3, edited_at = $4, updated_at = now()
        WHERE channel_id = $1 AND direction = 'in' AND provider_message_id = $2
        RETURNING id::text, chat_id AS "chatId"`,
      [channelId, edit.externalMessageId, edit.text, edit.editedAt],
    );
    return edited[0] ?? null;
  }

  /**
   * Moves our outgoing messages the receipt names (by provider id, or every one of the chat sent
   * up to its watermark) to its status, forward only: a late `delivered` after `read`, or a
   * repeated receipt, changes nothing. Resolves to the messages it changed.
   */
  async applyReceipt(channelId: string, receipt: DeliveryReceipt): Promise<ChangedMessage[]> {
    const [updated] = await this.transactions.manager.query<[ChangedMessage[], number]>(
      `UPDATE messages m
          SET status = $3, updated_at = now(),
              error = CASE WHEN $3 = 'failed' THEN coalesce($6, 'the provider reported a failure') ELSE m.error END
        WHERE m.channel_id = $1 AND m.direction = 'out'
          AND ($4::varchar IS NULL OR m.provider_message_id = $4)
          AND ($5::timestamptz IS NULL OR (m.sent_at <= $5 AND m.chat_id IN (
                SELECT id FROM chats WHERE channel_id = $1 AND external_chat_id = $2)))
          AND array_position(${OUTGOING_STATUS_ORDER}, m.status) < array_position(${OUTGOING_STATUS_ORDER}, $3::varchar)
        RETURNING m.id::text, m.chat_id AS "chatId"`,
      [
        channelId,
        receipt.externalChatId,
        receipt.status,
        receipt.externalMessageId ?? null,
        receipt.upTo ?? null,
        receipt.error ?? null,
      ],
    );
    return updated;
  }

  /** Every customer message of the chat not yet read becomes read. */
  async markInboundRead(chatId: string): Promise<void> {
    await this.transactions.manager.query(
      `UPDATE messages SET status = 'read', updated_at = now() WHERE chat_id = $1 AND direction = 'in' AND status = 'received'`,
      [chatId],
    );
  }

  /** Outgoing messages not yet sent (queued or sending): how many, and how long the oldest has waited. */
  async outboundBacklog(): Promise<{ depth: number; oldestSeconds: number }> {
    const [backlog] = await this.transactions.manager.query<{ depth: number; oldestSeconds: number }[]>(
      `SELECT count(*)::int AS depth, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float AS "oldestSeconds"
         FROM messages WHERE status IN ('queued', 'sending')`,
    );
    return backlog;
  }

  async chatIdOf(messageId: string): Promise<string | null> {
    const [row] = await this.transactions.manager.query<{ chatId: string }[]>(
      `SELECT chat_id AS "chatId" FROM messages WHERE id = $1`,
      [messageId],
    );
    return row?.chatId ?? null;
  }

  /** Where an outgoing message stands, with what its channel's state means for it. */
  async deliveryState(messageId: string): Promise<DeliveryState | null> {
    const [state] = await this.transactions.manager.query<DeliveryState[]>(
      `SELECT m.chat_id AS "chatId", m.status, m.error, m.attempts, m.provider_message_id AS "providerMessageId",
              ch.name AS "channelName", ch.error AS "channelError", (ch.active AND ch.deleted_at IS NULL) AS "channelUsable"
         FROM messages m JOIN channels ch ON ch.id = m.channel_id WHERE m.id = $1`,
      [messageId],
    );
    return state ?? null;
  }

  // The outbox: claimed, settled and retried by the work queue's outbox source; its dead letters.

  /**
   * Leases up to `limit` due outgoing messages (`sending`, due again when the lease lapses), skipping
   * channels that are off or paused by an error. A message whose lapsed attempt was its
   * `maxAttempts`-th comes back `exhausted`, its attempt count unchanged.
   */
  async claimDueOutgoing(limit: number, leaseMs: number, maxAttempts: number): Promise<ClaimedOutgoingMessage[]> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [claimed] = await this.transactions.manager.query<[ClaimedOutgoingMessage[], number]>(
      `WITH due AS (
         SELECT m.id, (m.status = 'sending' AND m.attempts >= $3) AS exhausted FROM messages m
          WHERE m.status IN ('queued', 'sending') AND m.next_attempt_at <= now()
            AND NOT EXISTS (SELECT 1 FROM channels ch
                             WHERE ch.id = m.channel_id AND (ch.error IS NOT NULL OR NOT ch.active))
          ORDER BY m.next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE messages m
          SET status = 'sending', attempts = m.attempts + CASE WHEN due.exhausted THEN 0 ELSE 1 END,
              updated_at = now(), next_attempt_at = now() + make_interval(secs => $2::float / 1000)
         FROM due, chats c, channels ch
        WHERE m.id = due.id AND c.id = m.chat_id AND ch.id = m.channel_id
       RETURNING m.id, m.attempts, due.exhausted, m.error AS "lastError", m.channel_id AS "channelId", ch.provider,
         c.external_chat_id AS "externalChatId", m.text,
         (SELECT i.external_user_id FROM contact_identities i
           WHERE i.contact_id = c.contact_id AND i.channel_id = c.channel_id LIMIT 1) AS "recipientExternalId",
         (SELECT coalesce(json_agg(json_build_object('kind', f.kind, 'url', f.source_url,
                   'fileName', f.file_name, 'mimeType', f.mime_type) ORDER BY f.created_at), '[]')
            FROM message_files f WHERE f.message_id = m.id) AS attachments`,
      [limit, leaseMs, maxAttempts],
    );
    return claimed;
  }

  /**
   * Records a final outcome (sent or failed) and its message.status event in one statement: one round
   * trip, one commit. Undefined when a newer attempt took over; else whether receipts for the
   * provider's message id arrived before this settle (rare: then they are applied after).
   */
  async settleOutgoing(
    attempt: OutgoingAttempt,
    outcome: FinalOutgoingOutcome,
  ): Promise<{ hasPendingReceipts: boolean } | undefined> {
    const providerMessageId = outcome.status === 'sent' ? outcome.providerMessageId : null;
    const error = outcome.status === 'failed' ? outcome.error : null;
    // The event CTE writes the catalogue's 'message.status' payload: {chatId, messageId, status, error}.
    const [settled] = await this.transactions.manager.query<{ hasPendingReceipts: boolean }[]>(
      `WITH settled AS (
         UPDATE messages
            SET status = $3::varchar, provider_message_id = coalesce($4, provider_message_id), error = $5,
                sent_at = CASE WHEN $3::varchar = 'sent' THEN now() ELSE sent_at END,
                next_attempt_at = NULL, updated_at = now()
          WHERE id = $1 AND status = 'sending' AND attempts = $2
          RETURNING id, chat_id, status, error, provider_message_id),
       event AS (
         INSERT INTO chat_events (type, chat_id, operator_id, queue_id, payload)
         SELECT 'message.status', c.id, c.operator_id, c.queue_id,
                jsonb_build_object('chatId', c.id, 'messageId', s.id::text, 'status', s.status, 'error', s.error)
           FROM settled s JOIN chats c ON c.id = s.chat_id)
       SELECT EXISTS (SELECT 1 FROM pending_receipts p
                       WHERE p.channel_id = $6 AND p.provider_message_id = s.provider_message_id) AS "hasPendingReceipts"
         FROM settled s`,
      [attempt.id, attempt.attempts, outcome.status, providerMessageId, error, attempt.channelId],
    );
    return settled;
  }

  /**
   * Puts the message back in the queue, due in `afterMs`, with `error` as its latest reason (null
   * keeps the one it has). An attempt that does not count (a send budget spent, a paused channel)
   * is given back.
   */
  async requeueOutgoing(
    attempt: OutgoingAttempt,
    requeue: { afterMs: number; error: string | null; countsAsAttempt: boolean },
  ): Promise<void> {
    await this.transactions.manager.query(
      `UPDATE messages
          SET status = 'queued', attempts = attempts - CASE WHEN $5::boolean THEN 0 ELSE 1 END,
              error = coalesce($3, error), next_attempt_at = now() + make_interval(secs => $4::float / 1000),
              updated_at = now()
        WHERE id = $1 AND status = 'sending' AND attempts = $2`,
      [attempt.id, attempt.attempts, requeue.error, requeue.afterMs, requeue.countsAsAttempt],
    );
  }

  /** Outgoing messages that failed for good, most recently failed first. */
  listFailedOutgoing(limit: number): Promise<FailedOutgoingMessage[]> {
    return this.transactions.manager.query<FailedOutgoingMessage[]>(
      `SELECT id::text, chat_id AS "chatId", channel_id AS "channelId", error, attempts,
              created_at AS "createdAt", updated_at AS "updatedAt"
         FROM messages WHERE direction = 'out' AND status = 'failed' ORDER BY updated_at DESC LIMIT $1`,
      [limit],
    );
  }

  /** Queues a failed outgoing message again with a fresh set of attempts; false when there is no such message. */
  async requeueFailedOutgoing(id: string): Promise<boolean> {
    const [, requeued] = await this.transactions.manager.query<[unknown[], number]>(
      `UPDATE messages SET status = 'queued', attempts = 0, next_attempt_at = now(), updated_at = now()
        WHERE id = $1 AND direction = 'out' AND status = 'failed'`,
      [id],
    );
    return requeued > 0;
  }

  /** Outgoing messages due for a send attempt now. */
  async countDueOutgoing(): Promise<number> {
    const [{ count }] = await this.transactions.manager.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM messages WHERE status IN ('queued', 'sending') AND next_attempt_at <= now()`,
    );
    return count;
  }
}
