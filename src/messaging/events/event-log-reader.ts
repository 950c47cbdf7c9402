import { Injectable } from '@nestjs/common';
import { ChatEventRecord, ChatEventRepository } from '../../events/chat-event.repository';
import { HorizonProgress, nextHorizon } from './event-log-horizon';

/** How far a reader of the event log got. Plain data: a reader keeps it in memory or stores it. */
export interface EventLogProgress extends HorizonProgress {
  /** Ids above `lastEventId` already read, ahead of the horizon (see {@link EventLogReader.readNext}). */
  readAhead: string[];
}

export interface EventLogReadOptions {
  /** The most events one read returns. */
  limit: number;
  /**
   * How many events may be read ahead of the horizon (and so held in `readAhead`) while an
   * older write is still open; 0 waits for the horizon, and keeps the progress to two values.
   */
  maxReadAhead: number;
}

export interface EventLogPage {
  /** New events, each returned once: in id order, except that an event committed late comes when it commits. */
  events: ChatEventRecord[];
  progress: EventLogProgress;
}

/**
 * The one reader of the chat event log, for the live streams (progress in memory, per instance)
 * and the event-webhook fan-out (progress stored, one for all instances).
 *
 * Event ids are taken at insert but transactions commit in any order, so a reader cannot just go
 * on from the highest id it saw. Progress moves only up to a horizon no open transaction can still
 * write below (see {@link nextHorizon}: read from the lock table, so it holds across instances
 * and is correct after a restart). Events committed above the horizon can be read ahead of it, up
 * to a bound, and remembered until the horizon passes them, so a slow transaction holds nothing
 * back. A rolled-back id stops nobody: its transaction's lock is gone. When nothing is new, a read
 * is one index probe and writes nothing.
 */
@Injectable()
export class EventLogReader {
  constructor(private readonly chatEvents: ChatEventRepository) {}

  /** Progress that starts after the newest event: a reader that only wants what comes from now on. */
  async start(): Promise<EventLogProgress> {
    return { lastEventId: await this.chatEvents.latestId(), horizon: null, readAhead: [] };
  }

  /**
   * Whether {@link readNext} could find anything: for a reader whose read is costly when there is
   * nothing (the fan-out locks its stored progress first). One index probe.
   */
  async hasNews(progress: EventLogProgress): Promise<boolean> {
    if (progress.horizon || progress.readAhead.length > 0) return true;
    return BigInt(await this.chatEvents.latestId()) > BigInt(progress.lastEventId);
  }

  /** The next events after `progress`, and the progress after them. */
  async readNext(progress: EventLogProgress, options: EventLogReadOptions): Promise<EventLogPage> {
    const { lastEventId, readAhead } = progress;
    const seen = await this.chatEvents.snapshotWriters(lastEventId, progress.horizon?.waitsFor ?? []);
    const { safeEventId, horizon } = nextHorizon(progress, seen);
    const upToId = readAhead.length < options.maxReadAhead ? seen.latestEventId : safeEventId;
    const events =
      BigInt(upToId) > BigInt(lastEventId)
        ? await this.chatEvents.pageBetween(lastEventId, upToId, readAhead, options.limit)
        : [];
    // A full page may end below the horizon: then only up to its last event is read.
    const lastRead = events.at(-1)?.id;
    const reachedId =
      events.length === options.limit && lastRead && BigInt(lastRead) < BigInt(safeEventId) ? lastRead : safeEventId;
    const stillAhead = [...readAhead, ...events.map((event) => event.id)].filter(
      (id) => BigInt(id) > BigInt(reachedId),
    );
    return { events, progress: { lastEventId: reachedId, horizon, readAhead: stillAhead } };
  }
}
