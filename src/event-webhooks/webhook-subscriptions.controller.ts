import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminTokenGuard } from '../common/auth/admin-token.guard';
import { UuidPipe } from '../common/http/uuid.pipe';
import {
  CreatedWebhookSubscriptionView,
  CreateWebhookSubscriptionDto,
  ListWebhookDeliveriesQuery,
  ReplayedWebhookDeliveryView,
  UpdateWebhookSubscriptionDto,
  WebhookDeliveryView,
  WebhookSubscriptionView,
} from './dto/webhook-subscription.dto';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';

const subscriptionId = new UuidPipe('Webhook subscription');
const deliveryId = new UuidPipe('Webhook delivery');

/**
 * Event webhooks for CRMs and other systems: subscriptions, their delivery log, and replays.
 * Deliveries follow Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`).
 */
@ApiTags('event webhooks')
@Controller('admin')
@UseGuards(AdminTokenGuard)
export class WebhookSubscriptionsController {
  constructor(private readonly subscriptions: WebhookSubscriptionsService) {}

  /** Subscribes a URL to events; a generated secret is in this answer only. */
  @Post('webhook-subscriptions')
  create(@Body() dto: CreateWebhookSubscriptionDto): Promise<CreatedWebhookSubscriptionView> {
    return this.subscriptions.create(dto);
  }

  @Get('webhook-subscriptions')
  list(): Promise<WebhookSubscriptionView[]> {
    return this.subscriptions.list();
  }

  @Get('webhook-subscriptions/:id')
  get(@Param('id', subscriptionId) id: string): Promise<WebhookSubscriptionView> {
    return this.subscriptions.get(id);
  }

  /** Changes the URL, events or secret; `active` pauses (false) or resumes (true) deliveries. */
  @Patch('webhook-subscriptions/:id')
  update(
    @Param('id', subscriptionId) id: string,
    @Body() dto: UpdateWebhookSubscriptionDto,
  ): Promise<WebhookSubscriptionView> {
    return this.subscriptions.update(id, dto);
  }

  /** Deletes the subscription and its delivery log. */
  @Delete('webhook-subscriptions/:id')
  @HttpCode(204)
  remove(@Param('id', subscriptionId) id: string): Promise<void> {
    return this.subscriptions.remove(id);
  }

  /** The delivery log, newest first. */
  @Get('webhook-subscriptions/:id/deliveries')
  deliveries(
    @Param('id', subscriptionId) id: string,
    @Query() query: ListWebhookDeliveriesQuery,
  ): Promise<WebhookDeliveryView[]> {
    return this.subscriptions.deliveries(id, query);
  }

  /** Sends a delivery again (any status), under the same webhook-id. */
  @Post('webhook-deliveries/:id/replay')
  @HttpCode(202)
  async replay(@Param('id', deliveryId) id: string): Promise<ReplayedWebhookDeliveryView> {
    await this.subscriptions.replay(id);
    return { queued: true };
  }
}
