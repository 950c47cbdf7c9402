import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

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

  constructor(@InjectDataSource() dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry, prefix: 'omni_' });
    const backlog = () =>
      dataSource.query<{ depth: number; oldest_seconds: number }[]>(
        `SELECT count(*)::int AS depth, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float AS oldest_seconds
           FROM messages WHERE status IN ('queued', 'sending')`,
      );
    new Gauge({
      name: 'omni_outbound_queue_depth',
      help: 'Outgoing messages waiting to be sent (queued or sending)',
      registers: [this.registry],
      async collect() {
        this.set((await backlog())[0].depth);
      },
    });
    new Gauge({
      name: 'omni_outbound_queue_oldest_seconds',
      help: 'Age of the oldest outgoing message still waiting to be sent',
      registers: [this.registry],
      async collect() {
        this.set((await backlog())[0].oldest_seconds);
      },
    });
  }
}
