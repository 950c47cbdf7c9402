import { Injectable } from '@nestjs/common';
import { concatMap, filter, Observable } from 'rxjs';
import { isStreamedEventType, STREAMED_EVENT_TYPES } from '../messaging/events/chat-event-catalogue';
import { isChatEventForOperator } from './chat-event-audience';
import { ChatEventFeed } from './chat-event-feed.service';
import { ChatEventRecord, ChatEventRepository } from './chat-event.repository';
import { QueueMembershipCache } from './queue-membership.cache';

/** How far back a client reconnecting with Last-Event-ID is replayed what it missed. */
export const EVENTS_REPLAY_WINDOW_MS = 15 * 60_000;

/** The chat events one operator is told about: their chats, their queues' chats, chats taken from them. */
@Injectable()
export class OperatorEventStream {
  constructor(
    private readonly feed: ChatEventFeed,
    private readonly membership: QueueMembershipCache,
    private readonly chatEvents: ChatEventRepository,
  ) {}

  /**
   * The operator's live events. With `afterEventId`, first those after it from the last
   * {@link EVENTS_REPLAY_WINDOW_MS}, oldest first; no event is sent twice.
   */
  async eventsFor(operatorId: string, afterEventId?: string): Promise<Observable<ChatEventRecord>> {
    const live$ = this.feed.events$.pipe(
      filter((event) => isStreamedEventType(event.type)),
      concatMap(async (event) => ((await this.isFor(operatorId, event)) ? event : undefined)),
      filter((event) => event !== undefined),
    );
    if (afterEventId !== undefined) return replayThenLive(() => this.missedEvents(operatorId, afterEventId), live$);
    // A new stream starts at the newest event, fixed before the client is answered: what the client
    // causes once it sees the answer is news; events the feed reads a moment later but older are not.
    const startedAfter = BigInt(await this.chatEvents.latestId());
    return live$.pipe(filter((event) => BigInt(event.id) > startedAfter));
  }

  private async isFor(operatorId: string, event: ChatEventRecord): Promise<boolean> {
    return isChatEventForOperator(event, operatorId, await this.membership.queueIdsOf(operatorId));
  }

  private async missedEvents(operatorId: string, afterEventId: string): Promise<ChatEventRecord[]> {
    const queueIds = [...(await this.membership.queueIdsOf(operatorId))];
    return this.chatEvents.pageForOperator(
      operatorId,
      queueIds,
      STREAMED_EVENT_TYPES,
      afterEventId,
      EVENTS_REPLAY_WINDOW_MS,
    );
  }
}

/**
 * Listens before it reads the missed events, so nothing committed during that read falls
 * between the two, and holds live events back until the replay is out, dropping those it held.
 */
function replayThenLive(
  readMissed: () => Promise<ChatEventRecord[]>,
  live$: Observable<ChatEventRecord>,
): Observable<ChatEventRecord> {
  return new Observable<ChatEventRecord>((subscriber) => {
    let replayedIds: Set<string> | undefined;
    const heldBack: ChatEventRecord[] = [];
    const subscription = live$.subscribe({
      next: (event) => {
        if (!replayedIds) heldBack.push(event);
        else if (!replayedIds.has(event.id)) subscriber.next(event);
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
    readMissed().then(
      (missed) => {
        replayedIds = new Set(missed.map((event) => event.id));
        missed.forEach((event) => subscriber.next(event));
        heldBack.filter((event) => !replayedIds!.has(event.id)).forEach((event) => subscriber.next(event));
      },
      (error: unknown) => subscriber.error(error),
    );
    return subscription;
  });
}
