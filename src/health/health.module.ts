import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { MigrationRepository } from './migration.repository';
import { ReadinessIndicators } from './readiness.indicators';

@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [ReadinessIndicators, MigrationRepository],
})
export class HealthModule {}
