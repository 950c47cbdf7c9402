import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventLogModule } from '../messaging/events/event-log.module';
import { WorkQueueModule } from '../messaging/work-queue/work-queue.module';
import { WebhookDeliveriesCleanup } from './webhook-deliveries.cleanup';
import { WebhookDeliveryPolicy } from './webhook-delivery.policy';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpointClient } from './webhook-endpoint.client';
import { WebhookFanOut } from './webhook-fan-out.service';
import { WebhookSubscriptionState } from './webhook-subscription-state';
import { WebhookSubscription } from './webhook-subscription.entity';
import { WebhookSubscriptionsController } from './webhook-subscriptions.controller';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';

/**
 * Event webhooks: chat and contact events POSTed to subscribed URLs, signed the Standard Webhooks
 * way, durable and retried, with a delivery log. Follows the event log; nothing calls into it.
 */
@Module({
  imports: [
    HttpModule,
    EventLogModule,
    WorkQueueModule,
    TypeOrmModule.forFeature([WebhookSubscription, WebhookDelivery]),
  ],
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
