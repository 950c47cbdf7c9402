import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { WorkLoops } from '../messaging/work-loops/work-loops.service';
import { EventWritersSnapshot, FanOutProgress, nextHorizon, sameProgress } from './fan-out-horizon';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { SourceEvent, toWebhookEvent, WebhookEventType } from './webhook-event-types';

interface CursorRow {
  lastEventId: string;
  horizonEventId: string | null;
  horizonWaitsFor: string[] | null;
}

interface EventRow extends SourceEvent {
  createdAt: Date;
}

interface SubscriptionEvents {
  id: string;
  events: WebhookEventType[];
  active: boolean;
}

export interface PlannedDelivery {
  subscriptionId: string;
  /** For a paused subscription: stored, but not due until it is resumed. */
  held: boolean;
  eventId: string;
  type: WebhookEventType;
  occurredAt: Date;
  data: Record<string, unknown>;
}

const EVENT_PAGE_SIZE = 500;

/** One delivery per event and subscription that asked for the event's type. */
export function planDeliveries(events: EventRow[], subscriptions: SubscriptionEvents[]): PlannedDelivery[] {
  return events.flatMap((event) => {
    const webhookEvent = toWebhookEvent(event);
    if (!webhookEvent) return [];
    return subscriptions
      .filter((subscription) => subscription.events.includes(webhookEvent.type))
      .map((subscription) => ({
        subscriptionId: subscription.id,
        held: !subscription.active,
        eventId: event.id,
        type: webhookEvent.type,
        occurredAt: event.createdAt,
        data: webhookEvent.data,
      }));
  });
}

/**
 * Turns chat events into webhook deliveries. The events are already durable (written in the
 * transaction of each change), so this only needs to remember how far it got: one cursor row for
 * all instances, claimed with FOR UPDATE SKIP LOCKED. Deliveries and the cursor move in one
 * transaction, and a unique (subscription, event) makes a repeated fan-out harmless.
 * Paused subscriptions still get deliveries, held (no next attempt) until they are resumed.
 */
@Injectable()
export class WebhookFanOut {
  private cursorCreated = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly deliveries: WebhookDeliveryWorker,
    loops: WorkLoops,
    config: AppConfig,
  ) {
    loops.define({
      name: 'webhook-fan-out',
      intervalMs: config.env.WORKER_POLL_INTERVAL_MS,
      batchSize: EVENT_PAGE_SIZE,
      runOnce: (size) => this.fanOutNextPage(size),
    });
  }

  /** The first fan-out ever begins at the newest event: nobody subscribed to the ones before. */
  private async createCursor(): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO webhook_fan_out_cursor (id, last_event_id)
       SELECT 1, coalesce(max(id), 0) FROM chat_events ON CONFLICT (id) DO NOTHING`,
    );
    this.cursorCreated = true;
  }

  /** Resolves to how many events it read: a full page means there may be more. */
  private async fanOutNextPage(pageSize: number): Promise<number> {
    if (!this.cursorCreated) await this.createCursor();
    const { read, queued } = await this.dataSource.transaction(async (manager) => {
      const [cursor] = await manager.query<CursorRow[]>(
        `SELECT last_event_id::text AS "lastEventId", horizon_event_id::text AS "horizonEventId",
                horizon_waits_for AS "horizonWaitsFor"
           FROM webhook_fan_out_cursor WHERE id = 1 FOR UPDATE SKIP LOCKED`,
      );
      // Another instance is fanning out right now.
      if (!cursor) return { read: 0, queued: 0 };
      const progress: FanOutProgress = {
        lastEventId: cursor.lastEventId,
        horizon: cursor.horizonEventId
          ? { eventId: cursor.horizonEventId, waitsFor: cursor.horizonWaitsFor ?? [] }
          : null,
      };
      const { safeEventId, horizon } = nextHorizon(progress, await this.eventWriters(manager, progress));
      const events = await this.eventsBetween(manager, cursor.lastEventId, safeEventId, pageSize);
      // A short page reached the horizon: the ids between that were never committed never will be.
      const reachedId = events.length === pageSize ? events[events.length - 1].id : safeEventId;
      const queuedCount = await this.queueDeliveries(manager, events);
      const next: FanOutProgress = { lastEventId: reachedId, horizon };
      // Nothing new is the common case: then no write, and no dead row version every poll.
      if (!sameProgress(progress, next)) await this.saveProgress(manager, next);
      return { read: events.length, queued: queuedCount };
    });
    if (queued > 0) this.deliveries.wake();
    return read;
  }

  private async saveProgress(manager: EntityManager, progress: FanOutProgress): Promise<void> {
    await manager.query(
      `UPDATE webhook_fan_out_cursor
          SET last_event_id = $1, horizon_event_id = $2, horizon_waits_for = $3, updated_at = now()
        WHERE id = 1`,
      [progress.lastEventId, progress.horizon?.eventId ?? null, progress.horizon?.waitsFor ?? null],
    );
  }

  /**
   * The newest visible event, read in the same statement as (so before) the transactions now
   * writing chat events: any event below it still invisible belongs to one of them.
   */
  private async eventWriters(manager: EntityManager, progress: FanOutProgress): Promise<EventWritersSnapshot> {
    const [seen] = await manager.query<EventWritersSnapshot[]>(
      `SELECT coalesce((SELECT max(id) FROM chat_events), 0)::text AS "latestEventId",
              coalesce((SELECT array_agg(DISTINCT virtualtransaction) FROM pg_locks
                         WHERE locktype = 'relation' AND relation = 'chat_events'::regclass
                           AND mode = 'RowExclusiveLock' AND pid <> pg_backend_pid()), '{}') AS writers,
              NOT EXISTS (SELECT 1 FROM pg_locks
                           WHERE locktype = 'virtualxid' AND virtualxid = ANY($1::text[])) AS "horizonSettled"`,
      [progress.horizon?.waitsFor ?? []],
    );
    return seen;
  }

  private eventsBetween(manager: EntityManager, afterId: string, upToId: string, limit: number): Promise<EventRow[]> {
    if (BigInt(upToId) <= BigInt(afterId)) return Promise.resolve([]);
    return manager.query<EventRow[]>(
      `SELECT e.id::text, e.type, e.payload, e.chat_id AS "chatId", c.channel_id AS "channelId",
              c.contact_id AS "contactId", e.created_at AS "createdAt"
         FROM chat_events e LEFT JOIN chats c ON c.id = e.chat_id
        WHERE e.id > $1 AND e.id <= $2
        ORDER BY e.id LIMIT $3`,
      [afterId, upToId, limit],
    );
  }

  private async queueDeliveries(manager: EntityManager, events: EventRow[]): Promise<number> {
    if (events.length === 0) return 0;
    const subscriptions = await manager.query<SubscriptionEvents[]>(
      `SELECT id, events, active FROM webhook_subscriptions`,
    );
    const planned = planDeliveries(events, subscriptions);
    if (planned.length === 0) return 0;
    await manager.query(
      `INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, occurred_at, payload, next_attempt_at)
       SELECT subscription_id, event_id, event_type, occurred_at, payload, CASE WHEN held THEN NULL ELSE now() END
         FROM unnest($1::uuid[], $2::bigint[], $3::varchar[], $4::timestamptz[], $5::jsonb[], $6::boolean[])
              AS planned (subscription_id, event_id, event_type, occurred_at, payload, held)
       ON CONFLICT (subscription_id, event_id) DO NOTHING`,
      [
        planned.map((delivery) => delivery.subscriptionId),
        planned.map((delivery) => delivery.eventId),
        planned.map((delivery) => delivery.type),
        planned.map((delivery) => delivery.occurredAt.toISOString()),
        planned.map((delivery) => JSON.stringify(delivery.data)),
        planned.map((delivery) => delivery.held),
      ],
    );
    return planned.length;
  }
}
