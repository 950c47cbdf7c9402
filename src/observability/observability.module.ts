import { DynamicModule, Global, Module } from '@nestjs/common';
import { LoggableUrls } from '../common/http/loggable-urls';
import { MetricsController } from './metrics.controller';
import { Metrics } from './metrics.service';
import { ProviderCallLogger } from './provider-call.logger';

@Global()
@Module({})
export class ObservabilityModule {
  /** `loggableUrls` redacts the URLs of provider calls in the log. */
  static forRoot(loggableUrls: LoggableUrls): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [MetricsController],
      providers: [Metrics, ProviderCallLogger, { provide: LoggableUrls, useValue: loggableUrls }],
      exports: [Metrics],
    };
  }
}
