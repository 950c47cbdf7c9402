import { Module } from '@nestjs/common';
import { EventLogModule } from '../messaging/events/event-log.module';
import { ChatEventFeed } from './chat-event-feed.service';
import { ChatEventsCleanup } from './chat-events.cleanup';
import { EventsController } from './events.controller';
import { OperatorEventStream } from './operator-event-stream.service';
import { QueueMembershipCache } from './queue-membership.cache';

/** Operators' live event streams (SSE), fed by this instance's reader of the event log. */
@Module({
  imports: [EventLogModule],
  controllers: [EventsController],
  providers: [ChatEventFeed, QueueMembershipCache, OperatorEventStream, ChatEventsCleanup],
})
export class EventsModule {}
