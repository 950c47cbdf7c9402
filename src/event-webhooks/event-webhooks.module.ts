import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WebhookDeliveriesCleanup } from './webhook-deliveries.cleanup';
import { WebhookDeliveryPolicy } from './webhook-delivery.policy';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpointClient } from './webhook-endpoint.client';
import { WebhookFanOutCursor } from './webhook-fan-out-cursor.entity';
import { WebhookFanOut } from './webhook-fan-out.service';
import { WebhookSubscription } from './webhook-subscription.entity';
import { WebhookSubscriptionsController } from './webhook-subscriptions.controller';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';

/**
 * Event webhooks: chat and contact events POSTed to subscribed URLs, signed the Standard Webhooks
 * way, durable and retried, with a delivery log. Reads the chat_events table; nothing calls into it.
 */
@Module({
  imports: [HttpModule, TypeOrmModule.forFeature([WebhookSubscription, WebhookDelivery, WebhookFanOutCursor])],
  controllers: [WebhookSubscriptionsController],
  providers: [
    WebhookDeliveryPolicy,
    WebhookEndpointClient,
    WebhookDeliveryWorker,
    WebhookFanOut,
    WebhookSubscriptionsService,
    WebhookDeliveriesCleanup,
  ],
})
export class EventWebhooksModule {}
