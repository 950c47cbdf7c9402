import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { Metrics } from './metrics.service';
import { ProviderCallLogger } from './provider-call.logger';

@Global()
@Module({ controllers: [MetricsController], providers: [Metrics, ProviderCallLogger], exports: [Metrics] })
export class ObservabilityModule {}
