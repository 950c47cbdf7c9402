import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';
import type { ChatEventPayloads, ChatEventType, ChatScopedEventType } from '../messaging/events/chat-event-catalogue';
import type { EventWritersSnapshot } from '../messaging/events/event-log-horizon';

/** A stored chat event, with the channel and contact of its chat (null for an event about no chat). */
export interface ChatEventRecord {
  id: string;
  type: string;
  chatId: string | null;
  /** The operator the chat belonged to when the event happened; they receive it. */
  operatorId: string | null;
  /** The chat's queue then; its members receive the event. */
  queueId: string | null;
  payload: Record<string, unknown>;
  createdAt: Date;
  channelId: string | null;
  contactId: string | null;
}

/** The only reader and writer of `chat_events`. */
@Injectable()
export class ChatEventRepository {
  constructor(private readonly transactions: Transactions) {}

  /**
   * Records a chat event in the caller's transaction, stamped with the chat's operator and queue as
   * they are after the change; the event log readers (SSE, event webhooks) see it once it commits.
   */
  async append<T extends ChatScopedEventType>(type: T, payload: ChatEventPayloads[T]): Promise<void> {
    await this.transactions.manager.query(
      `INSERT INTO chat_events (type, chat_id, operator_id, queue_id, payload)
       SELECT $1, c.id, c.operator_id, c.queue_id, $3::jsonb FROM chats c WHERE c.id = $2`,
      [type, payload.chatId, JSON.stringify(payload)],
    );
  }

  // Event log: readers, replays and retention.

  /** The newest event's id, 0 when there is none. */
  async latestId(): Promise<string> {
    const [{ id }] = await this.transactions.manager.query<{ id: string }[]>(
      `SELECT coalesce(max(id), 0)::text AS id FROM chat_events`,
    );
    return id;
  }

  /**
   * The newest visible event id, read in the same statement as (so before) the transactions now
   * writing chat events: any event below it still invisible belongs to one of them. The lock table
   * is only read when there is something past `lastEventId` or a horizon to check, so a reader that
   * is up to date costs one index probe.
   */
  async snapshotWriters(lastEventId: string, horizonWaitsFor: string[]): Promise<EventWritersSnapshot> {
    const [seen] = await this.transactions.manager.query<EventWritersSnapshot[]>(
      `SELECT latest.id::text AS "latestEventId",
              CASE WHEN latest.id > $1::bigint
                   THEN coalesce((SELECT array_agg(DISTINCT l.virtualtransaction) FROM pg_locks l
                                   WHERE l.locktype = 'relation' AND l.relation = 'chat_events'::regclass
                                     AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()), '{}')
                   ELSE '{}' END AS writers,
              CASE WHEN cardinality($2::text[]) = 0 THEN true
                   ELSE NOT EXISTS (SELECT 1 FROM pg_locks l
                                     WHERE l.locktype = 'virtualxid' AND l.virtualxid = ANY($2::text[])) END
                AS "horizonSettled"
         FROM (SELECT coalesce(max(id), 0) AS id FROM chat_events) latest`,
      [lastEventId, horizonWaitsFor],
    );
    return seen;
  }

  /** The events after `afterId` up to `upToId`, but those in `exceptIds`, oldest first. */
  async pageBetween(afterId: string, upToId: string, exceptIds: string[], limit: number): Promise<ChatEventRecord[]> {
    return this.transactions.manager.query<ChatEventRecord[]>(
      `SELECT e.id::text, e.type, e.chat_id AS "chatId", e.operator_id AS "operatorId", e.queue_id AS "queueId",
              e.payload, e.created_at AS "createdAt", c.channel_id AS "channelId", c.contact_id AS "contactId"
         FROM chat_events e LEFT JOIN chats c ON c.id = e.chat_id
        WHERE e.id > $1 AND e.id <= $2 AND e.id <> ALL($3::bigint[])
        ORDER BY e.id LIMIT $4`,
      [afterId, upToId, exceptIds, limit],
    );
  }

  /**
   * The events of `types` after `afterEventId` and younger than `withinMs` that an operator is told
   * about (see isChatEventForOperator): their chats, their queues' chats, chats taken from them.
   */
  async pageForOperator(
    operatorId: string,
    queueIds: string[],
    types: readonly ChatEventType[],
    afterEventId: string,
    withinMs: number,
  ): Promise<ChatEventRecord[]> {
    return this.transactions.manager.query<ChatEventRecord[]>(
      `SELECT e.id::text, e.type, e.chat_id AS "chatId", e.operator_id AS "operatorId", e.queue_id AS "queueId",
              e.payload, e.created_at AS "createdAt", c.channel_id AS "channelId", c.contact_id AS "contactId"
         FROM chat_events e LEFT JOIN chats c ON c.id = e.chat_id
        WHERE e.id > $1 AND e.created_at > now() - make_interval(secs => $2::float / 1000)
          AND e.type = ANY($3::varchar[])
          AND (e.operator_id = $4 OR e.queue_id = ANY($5::uuid[]) OR e.payload ->> 'previousOperatorId' = $4::text)
        ORDER BY e.id`,
      [afterEventId, withinMs, types, operatorId, queueIds],
    );
  }

  /** Deletes the events older than `ageMs`; resolves to how many there were. */
  async deleteOlderThan(ageMs: number): Promise<number> {
    const [, deleted] = await this.transactions.manager.query<[unknown[], number]>(
      `DELETE FROM chat_events WHERE created_at < now() - make_interval(secs => $1::float / 1000)`,
      [ageMs],
    );
    return deleted;
  }
}
