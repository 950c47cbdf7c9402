import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { concatMap, defer, filter, Observable } from 'rxjs';
import { Repository } from 'typeorm';
import { CHAT_EVENT_FOR_OPERATOR_CONDITION, isChatEventForOperator } from './chat-event-audience';
import { ChatEvent } from './chat-event.entity';
import { ChatEventsListener } from './chat-events.listener';
import { QueueMembershipCache } from './queue-membership.cache';

/** How far back a client reconnecting with Last-Event-ID is replayed what it missed. */
export const EVENTS_REPLAY_WINDOW_MS = 15 * 60_000;

/** The chat events one operator is told about: their chats, their queues' chats, chats taken from them. */
@Injectable()
export class OperatorEventStream {
  constructor(
    private readonly listener: ChatEventsListener,
    private readonly membership: QueueMembershipCache,
    @InjectRepository(ChatEvent) private readonly chatEvents: Repository<ChatEvent>,
  ) {}

  /**
   * The operator's live events. With `afterEventId`, first those after it from the last
   * {@link EVENTS_REPLAY_WINDOW_MS}, oldest first; no event is sent twice.
   */
  eventsFor(operatorId: string, afterEventId?: string): Observable<ChatEvent> {
    const live$ = this.listener.events$.pipe(
      concatMap(async (event) => ((await this.isFor(operatorId, event)) ? event : undefined)),
      filter((event) => event !== undefined),
    );
    if (afterEventId !== undefined) return replayThenLive(() => this.missedEvents(operatorId, afterEventId), live$);
    // A new stream starts now: events the listener reads a moment later but that predate it are not news.
    return defer(async () => BigInt(await this.latestEventId())).pipe(
      concatMap((startedAfter) => live$.pipe(filter((event) => BigInt(event.id) > startedAfter))),
    );
  }

  private async latestEventId(): Promise<string> {
    const [{ id }] = await this.chatEvents.query<{ id: string }[]>(
      `SELECT coalesce(max(id), 0)::text AS id FROM chat_events`,
    );
    return id;
  }

  private async isFor(operatorId: string, event: ChatEvent): Promise<boolean> {
    return isChatEventForOperator(event, operatorId, await this.membership.queueIdsOf(operatorId));
  }

  private async missedEvents(operatorId: string, afterEventId: string): Promise<ChatEvent[]> {
    const queueIds = [...(await this.membership.queueIdsOf(operatorId))];
    return this.chatEvents
      .createQueryBuilder('event')
      .where('event.id > :afterEventId', { afterEventId })
      .andWhere('event.createdAt > now() - make_interval(secs => :windowSeconds)', {
        windowSeconds: EVENTS_REPLAY_WINDOW_MS / 1000,
      })
      .andWhere(CHAT_EVENT_FOR_OPERATOR_CONDITION, { operatorId, queueIds })
      .orderBy('event.id', 'ASC')
      .getMany();
  }
}

/**
 * Listens before it reads the missed events, so nothing committed during that read falls
 * between the two, and holds live events back until the replay is out, dropping those it held.
 */
function replayThenLive(readMissed: () => Promise<ChatEvent[]>, live$: Observable<ChatEvent>): Observable<ChatEvent> {
  return new Observable<ChatEvent>((subscriber) => {
    let replayedIds: Set<string> | undefined;
    const heldBack: ChatEvent[] = [];
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
