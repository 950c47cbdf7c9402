import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { AppError } from '../common/errors/app-error';
import { ReadinessIndicators } from './readiness.indicators';

/** Public, for load balancers and orchestrators: no token, no data beyond counts. */
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly readiness: ReadinessIndicators,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** Ready for traffic: database up, migrations applied, outbound and job backlogs under READY_BACKLOG_LIMIT. */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.checkOr503([
      () => this.database.pingCheck('database', { timeout: 2_000 }),
      () => this.readiness.migrationsApplied(),
      () => this.readiness.backlog(),
    ]);
  }

  /** The database answers (kept for existing probes; /health/ready checks more). */
  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.checkOr503([() => this.database.pingCheck('database', { timeout: 2_000 })]);
  }

  private async checkOr503(checks: Parameters<HealthCheckService['check']>[0]): Promise<HealthCheckResult> {
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const { error: failing } = error.getResponse() as HealthCheckResult;
      throw new AppError('NOT_READY', `Not ready: ${Object.keys(failing ?? {}).join(', ') || 'a check failed'}`);
    }
  }
}
