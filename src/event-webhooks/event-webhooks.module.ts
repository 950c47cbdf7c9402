import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { EventLogModule } from '../messaging/events/event-log.module';
import { WorkQueueModule } from '../messaging/work-queue/work-queue.module';
import { WebhookDeliveriesCleanup } from './webhook-deliveries.cleanup';
import { WebhookDeliveryPolicy } from './webhook-delivery.policy';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WebhookEndpointClient } from './webhook-endpoint.client';
import { WebhookFanOut } from './webhook-fan-out.service';
import { WebhookSubscriptionState } from './webhook-subscription-state';
import { WebhookSubscriptionsController } from './webhook-subscriptions.controller';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';

/**
 * Event webhooks: chat and contact events POSTed to subscribed URLs, signed the Standard Webhooks
 * way, durable and retried, with a delivery log. Follows the event log; nothing calls into it.
 */
@Module({
  imports: [HttpModule, EventLogModule, WorkQueueModule],
  controllers: [WebhookSubscriptionsController],
  providers: [
    WebhookDeliveryPolicy,
    WebhookEndpointClient,
    WebhookDeliveryWorker,
    WebhookSubscriptionState,
    WebhookFanOut,
    WebhookSubscriptionsService,
    WebhookDeliveriesCleanup,
  ],
})
export class EventWebhooksModule {}
