import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import { EventLogProgress, EventLogReader } from '../messaging/events/event-log-reader';
import { WorkLoops } from '../messaging/work-loops/work-loops.service';
import { ChatEventRecord } from './chat-event.repository';

const POLL_INTERVAL_MS = 100;
const PAGE_SIZE = 1_000;
/**
 * Events read past one still being written; beyond this many the feed waits for that write to
 * end (a transaction left open for long) rather than remember more.
 */
const MAX_READ_AHEAD = 10_000;

/**
 * This instance's view of the chat events every instance writes: it reads the event log every
 * 100 ms and emits each event once on {@link events$}. Reading, rather than LISTEN/NOTIFY, keeps
 * NOTIFY out of the write transactions, where Postgres serialises the commits of every transaction
 * that notifies. An event committed out of id order is emitted when it commits, after newer ones.
 */
@Injectable()
export class ChatEventFeed implements BeforeApplicationShutdown {
  private readonly events = new Subject<ChatEventRecord>();
  /** Unset until the first read, which only finds where the log ends: streams start after it. */
  private progress?: EventLogProgress;

  /** Every chat event committed by any instance from now on, each once; completes at shutdown. */
  readonly events$: Observable<ChatEventRecord> = this.events.asObservable();

  constructor(
    private readonly eventLog: EventLogReader,
    loops: WorkLoops,
  ) {
    loops.define({
      name: 'chat-events-reader',
      servesRole: 'api',
      intervalMs: POLL_INTERVAL_MS,
      batchSize: PAGE_SIZE,
      runOnce: (pageSize) => this.readNewEvents(pageSize),
    });
  }

  /** After the loops have stopped: no event is read any more. */
  beforeApplicationShutdown(): void {
    this.events.complete();
  }

  /** Resolves to how many events it read: a full page means there may be more. */
  private async readNewEvents(pageSize: number): Promise<number> {
    if (!this.progress) {
      this.progress = await this.eventLog.start();
      return 0;
    }
    const page = await this.eventLog.readNext(this.progress, { limit: pageSize, maxReadAhead: MAX_READ_AHEAD });
    this.progress = page.progress;
    for (const event of page.events) this.events.next(event);
    return page.events.length;
  }
}
