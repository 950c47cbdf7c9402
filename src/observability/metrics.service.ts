import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Outgoing messages waiting to be sent (queued or sending). */
export interface OutboundBacklog {
  depth: number;
  /** How long the oldest has waited. */
  oldestSeconds: number;
}

/** The service's Prometheus metrics, in a registry of its own (several apps may share a process in tests). */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly messagesIn = new Counter({
    name: 'omni_messages_in_total',
    help: 'Inbound customer messages stored, by provider',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });

  readonly messagesOut = new Counter({
    name: 'omni_messages_out_total',
    help: 'Outgoing messages settled, by provider and final status (sent, failed)',
    labelNames: ['provider', 'status'] as const,
    registers: [this.registry],
  });

  readonly providerErrors = new Counter({
    name: 'omni_provider_errors_total',
    help: 'Failed provider calls while sending, by provider and error code (TEMPORARY, RATE_LIMITED, AUTH_FAILED, …)',
    labelNames: ['provider', 'code'] as const,
    registers: [this.registry],
  });

  readonly webhookDuration = new Histogram({
    name: 'omni_webhook_duration_seconds',
    help: 'Time to answer a webhook (the answer waits for the commit), by provider and HTTP status',
    labelNames: ['provider', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  /** Read at each scrape; the core supplies it (see measureOutboundBacklog): observability reads no table itself. */
  private readOutboundBacklog: () => Promise<OutboundBacklog> = () => Promise.resolve({ depth: 0, oldestSeconds: 0 });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'omni_' });
    const backlog = () => this.readOutboundBacklog();
    new Gauge({
      name: 'omni_outbound_queue_depth',
      help: 'Outgoing messages waiting to be sent (queued or sending)',
      registers: [this.registry],
      async collect() {
        this.set((await backlog()).depth);
      },
    });
    new Gauge({
      name: 'omni_outbound_queue_oldest_seconds',
      help: 'Age of the oldest outgoing message still waiting to be sent',
      registers: [this.registry],
      async collect() {
        this.set((await backlog()).oldestSeconds);
      },
    });
  }

  /** How the outbound queue gauges read the backlog when Prometheus scrapes. */
  measureOutboundBacklog(read: () => Promise<OutboundBacklog>): void {
    this.readOutboundBacklog = read;
  }
}
