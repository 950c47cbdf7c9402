import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { AppConfig } from '../../config/app-config';
import { ProviderError } from '../contracts/provider-error';
import { BackoffPolicy, PROVIDER_BACKOFF } from '../work-queue/backoff-policy';
import { WorkQueueRunner } from '../work-queue/work-queue.runner';
import { WorkSource } from '../work-queue/work-source';
import { HandlesJob, JobHandler } from './job-handler.decorator';
import { ClaimedJob, JobRepository } from './job.repository';

/** Longer than any job should take; a job still running after this is taken to be abandoned. */
const CLAIM_LEASE_MS = 5 * 60_000;

/**
 * The work queue's job source: durable background work (profile fetch, attachment download), each
 * type done by one class marked `@HandlesJob(type)`. A job is deleted when done; one that fails for
 * good stays `failed` (a dead letter) after its handler's `giveUp`.
 */
@Injectable()
export class JobRunner implements WorkSource<ClaimedJob, void>, OnModuleInit {
  static readonly LOOP = 'jobs';
  readonly name = JobRunner.LOOP;
  readonly batchSize = 20;
  readonly backoff: BackoffPolicy;
  readonly failureScope = 'job';
  private readonly handlers = new Map<string, JobHandler>();

  constructor(
    private readonly jobs: JobRepository,
    private readonly discovery: DiscoveryService,
    private readonly runner: WorkQueueRunner,
    private readonly config: AppConfig,
  ) {
    this.backoff = { ...PROVIDER_BACKOFF, maxAttempts: config.env.JOB_MAX_ATTEMPTS };
    runner.serve(this);
  }

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: HandlesJob.KEY })) {
      const type = this.discovery.getMetadataByDecorator(HandlesJob, wrapper)!;
      if (this.handlers.has(type)) throw new Error(`Two handlers for job type "${type}"`);
      this.handlers.set(type, wrapper.instance as JobHandler);
    }
  }

  /** Look for due jobs now rather than at the next tick. */
  wake(): void {
    this.runner.wake(this);
  }

  /** Queues a failed job again with a fresh set of attempts; false when there is no such job. */
  async retryFailed(id: string): Promise<boolean> {
    const requeued = await this.jobs.requeueFailed(id);
    if (requeued) this.wake();
    return requeued;
  }

  claim(limit: number): Promise<ClaimedJob[]> {
    return this.jobs.claimDue(limit, CLAIM_LEASE_MS, this.config.env.JOB_MAX_ATTEMPTS);
  }

  async perform(job: ClaimedJob): Promise<void> {
    const handler = this.handlers.get(job.type);
    if (!handler) throw new ProviderError('PERMANENT', `no handler for job type ${job.type}`);
    await handler.handle(job.payload);
  }

  complete(job: ClaimedJob): Promise<void> {
    return this.jobs.deleteDone(job);
  }

  retry(job: ClaimedJob, failure: ProviderError, retryInMs: number): Promise<void> {
    return this.jobs.requeue(job, retryInMs, failure.message);
  }

  async giveUp(job: ClaimedJob, failure: ProviderError): Promise<void> {
    if (await this.jobs.markFailed(job, failure.message)) {
      await this.handlers.get(job.type)?.giveUp(job.payload, failure.message);
    }
  }
}
