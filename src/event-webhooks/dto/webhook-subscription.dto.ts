import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import type { WebhookDeliveryStatus } from '../webhook-delivery.entity';
import type { WebhookEventType } from '../../messaging/events/chat-event-catalogue';
import { WEBHOOK_EVENT_TYPES } from '../webhook-event-types';

const URL_RULES = { require_protocol: true, protocols: ['http', 'https'], require_tld: false };
const URL_MESSAGE = { message: 'url must be an http(s) URL' };
const EVENTS_MESSAGE = { each: true, message: `each of events must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}` };

export const WEBHOOK_DELIVERY_STATUSES: WebhookDeliveryStatus[] = ['pending', 'delivered', 'failed'];

export class CreateWebhookSubscriptionDto {
  /** Where deliveries are POSTed. */
  @IsUrl(URL_RULES, URL_MESSAGE)
  @MaxLength(2000)
  url: string;

  /** The events to send, at least one. */
  @IsArray()
  @ArrayNotEmpty({ message: 'events must name at least one event' })
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, EVENTS_MESSAGE)
  events: WebhookEventType[];

  /** `whsec_` + base64 of 24 to 64 random bytes; generated (and answered once) when absent. */
  @IsOptional()
  @IsString()
  secret?: string;
}

export class UpdateWebhookSubscriptionDto {
  @IsOptional()
  @IsUrl(URL_RULES, URL_MESSAGE)
  @MaxLength(2000)
  url?: string;

  @IsOptional()
  @IsArray()
  @ArrayNotEmpty({ message: 'events must name at least one event' })
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, EVENTS_MESSAGE)
  events?: WebhookEventType[];

  /** A new signing secret (`whsec_…`); the old one stops signing at once. */
  @IsOptional()
  @IsString()
  secret?: string;

  /** false pauses deliveries (they are held); true resumes a paused subscription. */
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ListWebhookDeliveriesQuery {
  @IsOptional()
  @IsIn(WEBHOOK_DELIVERY_STATUSES)
  status?: WebhookDeliveryStatus;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;
}

export class WebhookSubscriptionView {
  id: string;
  url: string;
  events: WebhookEventType[];
  /** false while paused: deliveries are held until it is resumed. */
  active: boolean;
  /** Why it is paused, or null. */
  pausedReason: string | null;
  /** Always true: the secret is stored encrypted and never answered after creation. */
  secretSet: true;
  createdAt: Date;
  updatedAt: Date;
}

export class CreatedWebhookSubscriptionView extends WebhookSubscriptionView {
  /** The generated signing secret, answered this once only; absent when the request gave one. */
  secret?: string;
}

/** The body POSTed to the receiver. */
export class WebhookBodyView {
  type: WebhookEventType;
  /** When the event happened (ISO 8601). */
  timestamp: string;
  data: Record<string, unknown>;
}

export class WebhookDeliveryView {
  id: string;
  subscriptionId: string;
  /** The `webhook-id` header: the same on every attempt and replay. */
  webhookId: string;
  eventId: string;
  eventType: WebhookEventType;
  status: WebhookDeliveryStatus;
  /** Attempts since it was queued or last replayed. */
  attempts: number;
  /** When the next attempt is due (pending only). */
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  payload: WebhookBodyView;
  createdAt: Date;
  updatedAt: Date;
}

export class ReplayedWebhookDeliveryView {
  queued: true;
}
