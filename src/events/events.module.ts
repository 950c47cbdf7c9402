import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChatEvent } from './chat-event.entity';
import { ChatEventsCleanup } from './chat-events.cleanup';
import { ChatEventsListener } from './chat-events.listener';
import { ChatEventsPublisher } from './chat-events.publisher';
import { EventsController } from './events.controller';
import { OperatorEventStream } from './operator-event-stream.service';
import { QueueMembershipCache } from './queue-membership.cache';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([ChatEvent])],
  controllers: [EventsController],
  providers: [ChatEventsPublisher, ChatEventsListener, QueueMembershipCache, OperatorEventStream, ChatEventsCleanup],
  exports: [ChatEventsPublisher],
})
export class EventsModule {}
