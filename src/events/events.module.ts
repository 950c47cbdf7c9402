import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Operator } from '../operators/operator.entity';
import { ChatEvent } from './chat-event.entity';
import { ChatEventsCleanup } from './chat-events.cleanup';
import { ChatEventsListener } from './chat-events.listener';
import { ChatEventsPublisher } from './chat-events.publisher';
import { EventsController } from './events.controller';
import { OperatorEventStream } from './operator-event-stream.service';
import { QueueMembershipCache } from './queue-membership.cache';

@Global()
@Module({
  // Operator: OperatorTokenGuard is instantiated in this module and reads it.
  imports: [TypeOrmModule.forFeature([ChatEvent, Operator])],
  controllers: [EventsController],
  providers: [ChatEventsPublisher, ChatEventsListener, QueueMembershipCache, OperatorEventStream, ChatEventsCleanup],
  exports: [ChatEventsPublisher],
})
export class EventsModule {}
