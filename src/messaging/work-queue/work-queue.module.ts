import { Module } from '@nestjs/common';
import { WorkQueueRunner } from './work-queue.runner';

/** The one leased work queue; its sources (outbox, jobs, event-webhook deliveries) live with their areas. */
@Module({ providers: [WorkQueueRunner], exports: [WorkQueueRunner] })
export class WorkQueueModule {}
