import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { ProviderError } from '../contracts/provider-error';
import { HandlesJob, JobHandler } from './job-handler.decorator';
import { retryDelayMs } from './retry-backoff';
import { WorkLoops } from '../work-loops/work-loops.service';

interface ClaimedJob {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  attempts: number;
}

const CLAIM_LEASE_MS = 5 * 60_000;
const BATCH_SIZE = 20;

/** Runs durable jobs: claims due rows with SKIP LOCKED, retries failures with backoff, deletes done ones. */
@Injectable()
export class JobRunner implements OnModuleInit {
  static readonly LOOP = 'jobs';
  private readonly logger = new Logger(JobRunner.name);
  private readonly handlers = new Map<string, JobHandler>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly discovery: DiscoveryService,
    private readonly loops: WorkLoops,
    private readonly config: AppConfig,
  ) {
    loops.define({
      name: JobRunner.LOOP,
      intervalMs: config.env.WORKER_POLL_INTERVAL_MS,
      batchSize: BATCH_SIZE,
      runOnce: (size) => this.runDueJobs(size),
    });
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
    this.loops.wake(JobRunner.LOOP);
  }

  private async runDueJobs(batchSize: number): Promise<number> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [jobs]: [ClaimedJob[], number] = await this.dataSource.query(
      `UPDATE jobs SET status = 'running', attempts = attempts + 1,
              run_at = now() + make_interval(secs => $2::float / 1000), updated_at = now()
        WHERE id IN (SELECT id FROM jobs WHERE status IN ('pending', 'running') AND run_at <= now()
                      ORDER BY run_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, type, payload, attempts`,
      [batchSize, CLAIM_LEASE_MS],
    );
    await Promise.all(jobs.map((job) => this.run(job)));
    return jobs.length;
  }

  private async run(job: ClaimedJob): Promise<void> {
    const handler = this.handlers.get(job.type);
    try {
      if (!handler) throw new ProviderError('PERMANENT', `no handler for job type ${job.type}`);
      await handler.handle(job.payload);
      await this.dataSource.query(`DELETE FROM jobs WHERE id = $1`, [job.id]);
    } catch (error) {
      await this.recordFailure(job, handler, error);
    }
  }

  private async recordFailure(job: ClaimedJob, handler: JobHandler | undefined, error: unknown): Promise<void> {
    const failure = ProviderError.from(error);
    const reason = failure.message;
    if (failure.retryable && job.attempts < this.config.env.JOB_MAX_ATTEMPTS) {
      const delay = failure.retryAfterMs ?? retryDelayMs(job.attempts);
      this.logger.warn(`job ${job.type} #${job.id} attempt ${job.attempts} failed, retrying in ${delay} ms: ${reason}`);
      await this.dataSource.query(
        `UPDATE jobs SET status = 'pending', last_error = $2, run_at = now() + make_interval(secs => $3::float / 1000)
          WHERE id = $1`,
        [job.id, reason, delay],
      );
      return;
    }
    this.logger.warn(`job ${job.type} #${job.id} failed for good after ${job.attempts} attempts: ${reason}`);
    await this.dataSource.query(`UPDATE jobs SET status = 'failed', last_error = $2 WHERE id = $1`, [job.id, reason]);
    await handler?.giveUp(job.payload, reason);
  }
}
