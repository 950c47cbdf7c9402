import { BeforeApplicationShutdown, Controller, Headers, MessageEvent, Query, Sse, UseGuards } from '@nestjs/common';
import { interval, map, merge, Observable, ReplaySubject, takeUntil } from 'rxjs';
import { OperatorTokenGuard } from '../operators/auth/operator-token.guard';
import { CurrentPrincipal, type Principal } from '../operators/auth/principal';
import { AppError } from '../common/errors/app-error';
import { ChatEventRecord } from './chat-event.repository';
import { OperatorEventStream } from './operator-event-stream.service';

/** Proxies close a response that stays silent for long; a comment keeps it open and clients ignore it. */
export const EVENTS_HEARTBEAT_INTERVAL_MS = 15_000;
const HEARTBEAT: MessageEvent = { comment: 'heartbeat' };

/** The agent's live feed (server-sent events) of their chats and queues. */
@Controller('events')
@UseGuards(OperatorTokenGuard)
export class EventsController implements BeforeApplicationShutdown {
  private readonly shuttingDown = new ReplaySubject<void>(1);

  constructor(private readonly operatorEvents: OperatorEventStream) {}

  /**
   * The catalogue's streamed events (`message.created`, `message.edited`, `message.status`,
   * `chat.assigned`, `chat.closed`, `chat.transferred`). A client reconnecting with `Last-Event-ID`
   * (or `?lastEventId=`) is first sent what it missed.
   */
  @Sse()
  async stream(
    @CurrentPrincipal() principal: Principal,
    @Headers('last-event-id') lastEventIdHeader?: string,
    @Query('lastEventId') lastEventIdQuery?: string,
  ): Promise<Observable<MessageEvent>> {
    const afterEventId = parseLastEventId(lastEventIdHeader || lastEventIdQuery);
    const events$ = (await this.operatorEvents.eventsFor(operatorIdOf(principal), afterEventId)).pipe(
      map(toMessageEvent),
    );
    const heartbeats$ = interval(EVENTS_HEARTBEAT_INTERVAL_MS).pipe(map(() => HEARTBEAT));
    return merge(events$, heartbeats$).pipe(takeUntil(this.shuttingDown));
  }

  /** Ends every open stream: the HTTP server cannot close while one is open. */
  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown.next();
    this.shuttingDown.complete();
    // One turn of the event loop lets the ended responses flush, so the server finds their
    // connections idle and closes them at once rather than after the keep-alive timeout.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function toMessageEvent(event: ChatEventRecord): MessageEvent {
  return {
    id: event.id,
    type: event.type,
    data: {
      ...event.payload,
      chatId: event.chatId,
      operatorId: event.operatorId,
      queueId: event.queueId,
      createdAt: event.createdAt,
    },
  };
}

function parseLastEventId(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (!/^\d{1,18}$/.test(value))
    throw AppError.validation('lastEventId', 'Last-Event-ID must be the id of an event this stream sent');
  return value;
}

function operatorIdOf(principal: Principal): string {
  if (principal.kind !== 'operator') throw new AppError('FORBIDDEN', 'Open the event stream with an operator token');
  return principal.operator.id;
}
