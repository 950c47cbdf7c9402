import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Client } from 'pg';
import { Observable, Subject } from 'rxjs';
import { DataSource, In, MoreThan, Repository } from 'typeorm';
import { ChatEvent } from './chat-event.entity';
import { CHAT_EVENTS_CHANNEL } from './chat-events.publisher';

/** Shown in pg_stat_activity, so the listening connection is easy to tell apart from the pool's. */
export const CHAT_EVENTS_LISTENER_APPLICATION_NAME = 'omni-chat-events-listener';

const RECONNECT_FIRST_DELAY_MS = 100;
const RECONNECT_MAX_DELAY_MS = 5_000;
const CATCH_UP_PAGE_SIZE = 500;
/** Enough to recognise an event that both a NOTIFY and the catch-up after a reconnect delivered. */
const REMEMBERED_EVENT_IDS = 1_000;

/**
 * This instance's ear on the `chat_events` NOTIFY channel: one dedicated connection LISTENs,
 * each announced event is loaded and emitted once on {@link events$}. When the connection
 * drops it reconnects with backoff and catches up on the events committed meanwhile, whose
 * NOTIFY reached nobody here.
 */
@Injectable()
export class ChatEventsListener implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(ChatEventsListener.name);
  private readonly events = new Subject<ChatEvent>();
  private readonly announcedIds = new Set<string>();
  private readonly emittedIds = new Set<string>();
  private connection?: Client;
  private reconnectTimer?: NodeJS.Timeout;
  private failedAttempts = 0;
  private lastSeenId = '0';
  private stopped = false;
  /** Loads run one after another, so events are emitted in the order this instance learnt of them. */
  private loading: Promise<void> = Promise.resolve();

  /** Every chat event committed by any instance from now on, each once; completes at shutdown. */
  readonly events$: Observable<ChatEvent> = this.events.asObservable();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(ChatEvent) private readonly chatEvents: Repository<ChatEvent>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.lastSeenId = await this.latestEventId();
    await this.connect();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.events.complete();
    // The DataSource closes in the shutdown hooks that follow; let a running load finish first.
    await this.loading;
  }

  async onApplicationShutdown(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await connection
      ?.end()
      .catch((error: unknown) => this.logger.warn(`Closing the chat events connection failed: ${reasonOf(error)}`));
  }

  private async connect(): Promise<void> {
    const connection = new Client({
      connectionString: (this.dataSource.options as { url: string }).url,
      application_name: CHAT_EVENTS_LISTENER_APPLICATION_NAME,
    });
    this.connection = connection;
    connection.on('notification', (notification) => this.announce(notification.payload));
    connection.on('error', (error) => this.connectionLost(connection, error));
    connection.on('end', () => this.connectionLost(connection));
    try {
      await connection.connect();
      await connection.query(`LISTEN ${CHAT_EVENTS_CHANNEL}`);
    } catch (error) {
      this.connectionLost(connection, error);
      return;
    }
    if (this.failedAttempts > 0) this.logger.log('Listening for chat events again');
    this.failedAttempts = 0;
    this.enqueue(() => this.catchUp());
  }

  private connectionLost(connection: Client, error?: unknown): void {
    // 'error' and 'end' both report one loss, and a connection closed on purpose is not lost.
    if (connection !== this.connection) return;
    this.connection = undefined;
    connection.end().catch(() => undefined);
    if (this.stopped) return;
    const delayMs = Math.min(RECONNECT_FIRST_DELAY_MS * 2 ** this.failedAttempts++, RECONNECT_MAX_DELAY_MS);
    this.logger.warn(`Lost the chat events connection (${reasonOf(error)}); reconnecting in ${delayMs} ms`);
    this.reconnectTimer = setTimeout(() => void this.connect(), delayMs);
  }

  private announce(eventId: string | undefined): void {
    if (!eventId) return;
    this.announcedIds.add(eventId);
    this.enqueue(() => this.loadAnnounced());
  }

  private enqueue(load: () => Promise<void>): void {
    this.loading = this.loading
      .then(load)
      .catch((error: unknown) => this.logger.error(`Could not load chat events: ${reasonOf(error)}`));
  }

  /** Loads every event announced since the last load in one query: a burst of NOTIFYs costs one round trip. */
  private async loadAnnounced(): Promise<void> {
    if (this.stopped || this.announcedIds.size === 0) return;
    const ids = [...this.announcedIds];
    const events = await this.chatEvents.find({ where: { id: In(ids) }, order: { id: 'ASC' } });
    ids.forEach((id) => this.announcedIds.delete(id));
    events.forEach((event) => this.emit(event));
  }

  /** Reads what was committed while this instance was not listening: those NOTIFYs reached nobody here. */
  private async catchUp(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const events = await this.chatEvents.find({
        where: { id: MoreThan(this.lastSeenId) },
        order: { id: 'ASC' },
        take: CATCH_UP_PAGE_SIZE,
      });
      events.forEach((event) => this.emit(event));
      if (events.length < CATCH_UP_PAGE_SIZE) return;
    }
  }

  private emit(event: ChatEvent): void {
    if (BigInt(event.id) > BigInt(this.lastSeenId)) this.lastSeenId = event.id;
    if (this.emittedIds.has(event.id)) return;
    this.emittedIds.add(event.id);
    if (this.emittedIds.size > REMEMBERED_EVENT_IDS) this.emittedIds.delete(this.emittedIds.values().next().value!);
    this.events.next(event);
  }

  private async latestEventId(): Promise<string> {
    const [{ id }]: [{ id: string }] = await this.dataSource.query(
      `SELECT coalesce(max(id), 0)::text AS id FROM chat_events`,
    );
    return id;
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : 'connection ended';
}
