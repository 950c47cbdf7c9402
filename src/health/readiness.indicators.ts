import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { MessageRepository } from '../chats/message.repository';
import { AppConfig } from '../config/app-config';
import { JobRepository } from '../messaging/delivery/job.repository';
import { MigrationRepository } from './migration.repository';

/** Readiness checks beyond "the database answers": the schema is current and work is not piling up. */
@Injectable()
export class ReadinessIndicators {
  constructor(
    private readonly migrations: MigrationRepository,
    private readonly indicators: HealthIndicatorService,
    private readonly config: AppConfig,
    private readonly messages: MessageRepository,
    private readonly jobs: JobRepository,
  ) {}

  async migrationsApplied(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('migrations');
    const pending = await this.migrations.hasPending();
    return pending ? check.down({ message: 'migrations are pending' }) : check.up();
  }

  /** Replies and jobs that are due but not done, against READY_BACKLOG_LIMIT. */
  async backlog(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('backlog');
    const [outbound, jobs] = await Promise.all([this.messages.countDueOutgoing(), this.jobs.countDue()]);
    const limit = this.config.env.READY_BACKLOG_LIMIT;
    const data = { outbound, jobs, limit };
    return outbound > limit || jobs > limit ? check.down(data) : check.up(data);
  }
}
