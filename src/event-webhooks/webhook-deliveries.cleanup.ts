import { Injectable, Logger } from '@nestjs/common';
import { WorkLoops } from '../messaging/work-loops/work-loops.service';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';

/** How long the delivery log keeps settled (delivered or failed) deliveries; pending ones are kept until settled. */
export const WEBHOOK_DELIVERY_LOG_RETENTION_MS = 7 * 24 * 60 * 60_000;
const CLEANUP_INTERVAL_MS = 60 * 60_000;

/** Deletes settled deliveries older than {@link WEBHOOK_DELIVERY_LOG_RETENTION_MS}, hourly; every instance may run it. */
@Injectable()
export class WebhookDeliveriesCleanup {
  private readonly logger = new Logger(WebhookDeliveriesCleanup.name);

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    loops: WorkLoops,
  ) {
    loops.define({
      name: 'webhook-deliveries-cleanup',
      intervalMs: CLEANUP_INTERVAL_MS,
      runOnce: async () => {
        await this.deleteExpired();
        return 0;
      },
    });
  }

  /** Deletes the expired deliveries now and returns how many there were. */
  async deleteExpired(): Promise<number> {
    try {
      return await this.deliveries.deleteSettledOlderThan(WEBHOOK_DELIVERY_LOG_RETENTION_MS);
    } catch (error) {
      this.logger.error(`Could not delete expired webhook deliveries: ${(error as Error).message}`);
      return 0;
    }
  }
}
