import { DiscoveryService } from '@nestjs/core';

/** Background work one job type stands for; throw to have the job retried with backoff. */
export interface JobHandler<TPayload = Record<string, unknown>> {
  handle(payload: TPayload): Promise<void>;
  /** Called once when the job has used its last attempt. */
  giveUp(payload: TPayload, reason: string): Promise<void>;
}

/** Marks a class as the handler of one job type; the JobRunner finds it at start. */
export const HandlesJob = DiscoveryService.createDecorator<string>();
