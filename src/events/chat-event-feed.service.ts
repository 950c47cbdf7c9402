import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Observable, Subject } from 'rxjs';
import { DataSource } from 'typeorm';
import { WorkLoops } from '../messaging/work-loops/work-loops.service';
import { ChatEvent } from './chat-event.entity';

const POLL_INTERVAL_MS = 100;
const PAGE_SIZE = 1_000;
/**
 * Event ids are taken at insert but transactions commit in any order, so an id skipped by a read
 * may still appear; it is looked for again for this long (then it was rolled back).
 */
const LATE_COMMIT_WINDOW_MS = 10_000;
/** A jump larger than this is not tracked id by id (it cannot be a handful of transactions in flight). */
const MAX_TRACKED_GAP = 10_000;

interface ChatEventRow {
  id: string;
  type: string;
  chatId: string | null;
  operatorId: string | null;
  queueId: string | null;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/**
 * This instance's view of the chat events every instance writes: it reads new rows of
 * `chat_events` every 100 ms and emits each once on {@link events$}. Reading, rather than
 * LISTEN/NOTIFY, keeps NOTIFY out of the write transactions, where Postgres serialises the
 * commits of every transaction that notifies. Ids skipped by a read are read again until they
 * appear or the late-commit window passes, so an event committed out of id order is not lost.
 */
@Injectable()
export class ChatEventsListener implements BeforeApplicationShutdown {
  private readonly events = new Subject<ChatEvent>();
  private lastSeenId = 0n;
  /** The first read only finds the newest event: streams start after it. */
  private started = false;
  /** Ids below lastSeenId not seen yet, with when they were first missed. */
  private readonly missingIds = new Map<bigint, number>();

  /** Every chat event committed by any instance from now on, each once; completes at shutdown. */
  readonly events$: Observable<ChatEvent> = this.events.asObservable();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    loops: WorkLoops,
  ) {
    loops.define({
      name: 'chat-events-reader',
      servesRole: 'api',
      intervalMs: POLL_INTERVAL_MS,
      runOnce: async () => {
        await this.readNewEvents();
        return 0;
      },
    });
  }

  /** After the loops have stopped: no event is read any more. */
  beforeApplicationShutdown(): void {
    this.events.complete();
  }

  private async readNewEvents(): Promise<void> {
    if (!this.started) {
      const [{ id }] = await this.dataSource.query<{ id: string }[]>(
        `SELECT coalesce(max(id), 0)::text AS id FROM chat_events`,
      );
      this.lastSeenId = BigInt(id);
      this.started = true;
      return;
    }
    this.forgetExpiredGaps();
    const rows = await this.dataSource.query<ChatEventRow[]>(
      `SELECT id::text, type, chat_id AS "chatId", operator_id AS "operatorId", queue_id AS "queueId", payload,
              created_at AS "createdAt"
         FROM chat_events WHERE id > $1 OR id = ANY($2::bigint[]) ORDER BY id LIMIT $3`,
      [this.lastSeenId.toString(), [...this.missingIds.keys()].map(String), PAGE_SIZE],
    );
    for (const row of rows) this.take(row);
  }

  private take(row: ChatEventRow): void {
    const id = BigInt(row.id);
    if (this.missingIds.delete(id) || id > this.lastSeenId) {
      this.noteGap(id);
      this.events.next(Object.assign(new ChatEvent(), row));
    }
  }

  private noteGap(id: bigint): void {
    if (id <= this.lastSeenId) return;
    if (id - this.lastSeenId <= MAX_TRACKED_GAP) {
      const now = Date.now();
      for (let missing = this.lastSeenId + 1n; missing < id; missing++) this.missingIds.set(missing, now);
    }
    this.lastSeenId = id;
  }

  private forgetExpiredGaps(): void {
    const expired = Date.now() - LATE_COMMIT_WINDOW_MS;
    for (const [id, since] of this.missingIds) if (since < expired) this.missingIds.delete(id);
  }
}
