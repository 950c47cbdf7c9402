import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { AdminTokenGuard } from '../common/auth/admin-token.guard';
import { Metrics } from './metrics.service';

/** Prometheus scrape endpoint; give the scraper the admin token (`authorization: Bearer …`). */
@SkipThrottle()
@Controller('metrics')
@UseGuards(AdminTokenGuard)
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
