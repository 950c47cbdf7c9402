import { Injectable } from '@nestjs/common';
import { MessageRepository } from '../../chats/message.repository';
import { Metrics } from '../../observability/metrics.service';

/** Feeds the outbound queue gauges (omni_outbound_queue_*) from the messages waiting to be sent. */
@Injectable()
export class OutboundBacklogMetrics {
  constructor(metrics: Metrics, messages: MessageRepository) {
    metrics.measureOutboundBacklog(() => messages.outboundBacklog());
  }
}
