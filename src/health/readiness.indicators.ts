import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';

/** Readiness checks beyond "the database answers": the schema is current and work is not piling up. */
@Injectable()
export class ReadinessIndicators {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly indicators: HealthIndicatorService,
    private readonly config: AppConfig,
  ) {}

  async migrationsApplied(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('migrations');
    const pending = await this.dataSource.showMigrations();
    return pending ? check.down({ message: 'migrations are pending' }) : check.up();
  }

  /** Replies and jobs that are due but not done, against READY_BACKLOG_LIMIT. */
  async backlog(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('backlog');
    const [counts] = await this.dataSource.query<{ outbound: number; jobs: number }[]>(
      `SELECT (SELECT count(*) FROM messages WHERE status IN ('queued', 'sending') AND next_attempt_at <= now())::int AS outbound,
              (SELECT count(*) FROM jobs WHERE status IN ('pending', 'running') AND run_at <= now())::int AS jobs`,
    );
    const limit = this.config.env.READY_BACKLOG_LIMIT;
    const data = { ...counts, limit };
    return counts.outbound > limit || counts.jobs > limit ? check.down(data) : check.up(data);
  }
}
