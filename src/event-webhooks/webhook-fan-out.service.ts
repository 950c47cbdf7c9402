import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Transactions } from '../database/transactions';
import { ChatEventRecord } from '../events/chat-event.repository';
import { HorizonProgress, sameProgress } from '../messaging/events/event-log-horizon';
import { EventLogProgress, EventLogReader } from '../messaging/events/event-log-reader';
import { WorkLoops } from '../messaging/work-loops/work-loops.service';
import { PlannedDelivery, WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { toWebhookEvent } from './webhook-event-types';
import { WebhookFanOutCursorRepository } from './webhook-fan-out-cursor.repository';
import { SubscriptionEventFilter, WebhookSubscriptionRepository } from './webhook-subscription.repository';

const EVENT_PAGE_SIZE = 500;

/** One delivery per event and subscription that asked for the event's type. */
function planDeliveries(events: ChatEventRecord[], subscriptions: SubscriptionEventFilter[]): PlannedDelivery[] {
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
    private readonly transactions: Transactions,
    private readonly eventLog: EventLogReader,
    private readonly cursors: WebhookFanOutCursorRepository,
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly deliveryWorker: WebhookDeliveryWorker,
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
    const { lastEventId } = await this.eventLog.start();
    await this.cursors.createIfMissing(lastEventId);
    this.cursorCreated = true;
  }

  /** Resolves to how many events it read: a full page means there may be more. */
  private async fanOutNextPage(pageSize: number): Promise<number> {
    if (!this.cursorCreated) await this.createCursor();
    // Most ticks find nothing new: a look without the cursor's lock settles those, writing nothing.
    const lastSaved = await this.cursors.read();
    if (lastSaved && !(await this.eventLog.hasNews(withoutReadAhead(lastSaved)))) return 0;
    const { read, queued } = await this.transactions.run(async () => {
      const progress = await this.cursors.claim();
      // Another instance is fanning out right now.
      if (!progress) return { read: 0, queued: 0 };
      const page = await this.eventLog.readNext(withoutReadAhead(progress), { limit: pageSize, maxReadAhead: 0 });
      const queuedCount = await this.queueDeliveries(page.events);
      // A horizon still waiting moves nothing: then no write, and no dead row version every poll.
      if (!sameProgress(progress, page.progress)) await this.cursors.save(page.progress);
      return { read: page.events.length, queued: queuedCount };
    });
    if (queued > 0) this.deliveryWorker.wake();
    return read;
  }

  private async queueDeliveries(events: ChatEventRecord[]): Promise<number> {
    if (events.length === 0) return 0;
    const planned = planDeliveries(events, await this.subscriptions.listEventFilters());
    if (planned.length > 0) await this.deliveries.insertPlanned(planned);
    return planned.length;
  }
}

/** Reading no further than the horizon keeps the stored progress to the cursor's two values. */
function withoutReadAhead(progress: HorizonProgress): EventLogProgress {
  return { ...progress, readAhead: [] };
}
