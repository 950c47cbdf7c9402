import { Module } from '@nestjs/common';
import { EventLogReader } from './event-log-reader';

/** The reader of the chat event log, for the areas that follow it (live streams, event webhooks). */
@Module({ providers: [EventLogReader], exports: [EventLogReader] })
export class EventLogModule {}
