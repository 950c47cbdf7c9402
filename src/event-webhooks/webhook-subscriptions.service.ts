import { Injectable } from '@nestjs/common';
import { SecretBox } from '../common/crypto/secret-box';
import { AppError } from '../common/errors/app-error';
import { AppConfig } from '../config/app-config';
import {
  CreatedWebhookSubscriptionView,
  CreateWebhookSubscriptionDto,
  ListWebhookDeliveriesQuery,
  UpdateWebhookSubscriptionDto,
  WebhookDeliveryView,
  WebhookSubscriptionView,
} from './dto/webhook-subscription.dto';
import { isPrivateHost, PRIVATE_NETWORK_HINT } from '../common/http/private-network';
import { WebhookDeliveryWorker, webhookIdOf } from './webhook-delivery.worker';
import { generateWebhookSecret, WEBHOOK_SECRET_FORMAT, webhookSigningKey } from './webhook-signature';
import { PAUSED_BY_ADMIN, WebhookSubscriptionState } from './webhook-subscription-state';
import { WebhookSubscription } from './webhook-subscription.entity';
import { WebhookSubscriptionRepository } from './webhook-subscription.repository';
import { DeliveryLogRow, WebhookDeliveryRepository } from './webhook-delivery.repository';
import { Transactions } from '../database/transactions';

/** Admin management of event webhook subscriptions and their delivery log. */
@Injectable()
export class WebhookSubscriptionsService {
  constructor(
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly deliveryLog: WebhookDeliveryRepository,
    private readonly transactions: Transactions,
    private readonly secrets: SecretBox,
    private readonly config: AppConfig,
    private readonly worker: WebhookDeliveryWorker,
    private readonly subscriptionState: WebhookSubscriptionState,
  ) {}

  /** Answers a generated secret this once; a secret the caller chose is not echoed. */
  async create(input: CreateWebhookSubscriptionDto): Promise<CreatedWebhookSubscriptionView> {
    await this.checkUrl(input.url);
    const secret = input.secret ?? generateWebhookSecret();
    const saved = await this.subscriptions.create({
      url: input.url,
      events: input.events,
      secret: this.sealSecret(secret),
    });
    return { ...toSubscriptionView(saved), ...(input.secret === undefined ? { secret } : {}) };
  }

  async list(): Promise<WebhookSubscriptionView[]> {
    return (await this.subscriptions.list()).map(toSubscriptionView);
  }

  async get(id: string): Promise<WebhookSubscriptionView> {
    return toSubscriptionView(await this.find(id));
  }

  /**
   * Changes only what is given. `active: false` pauses it (deliveries are held); `active: true`
   * resumes it: its failure count starts over and held deliveries are attempted at once.
   */
  async update(id: string, input: UpdateWebhookSubscriptionDto): Promise<WebhookSubscriptionView> {
    const current = await this.find(id);
    const changes: Parameters<WebhookSubscriptionRepository['update']>[1] = {};
    if (input.url !== undefined) {
      await this.checkUrl(input.url);
      changes.url = input.url;
    }
    if (input.events !== undefined) changes.events = input.events;
    if (input.secret !== undefined) changes.secret = this.sealSecret(input.secret);
    const pausing = input.active === false && current.active;
    const resuming = input.active === true && !current.active;
    await this.transactions.run(async () => {
      if (Object.keys(changes).length > 0) await this.subscriptions.update(id, changes);
      if (pausing) await this.subscriptionState.pause(id, PAUSED_BY_ADMIN);
      if (resuming) await this.subscriptionState.resume(id);
    });
    if (resuming) this.worker.wake();
    return this.get(id);
  }

  /** Deletes it with its delivery log; nothing more is sent to it. */
  async remove(id: string): Promise<void> {
    if (!(await this.subscriptions.delete(id))) throw AppError.notFound('Webhook subscription', id);
  }

  /** The subscription's deliveries, newest first. */
  async deliveries(subscriptionId: string, query: ListWebhookDeliveriesQuery): Promise<WebhookDeliveryView[]> {
    await this.find(subscriptionId);
    const rows = await this.deliveryLog.pageBySubscription(subscriptionId, query.status ?? null, query.limit);
    return rows.map(toDeliveryView);
  }

  /**
   * Queues any delivery again, under the same webhook-id. A delivered or failed one starts over
   * (attempts from 0, a new retry window); a pending one is simply due now.
   */
  async replay(deliveryId: string): Promise<void> {
    await this.worker.replay(deliveryId);
  }

  private async find(id: string): Promise<WebhookSubscription> {
    const subscription = await this.subscriptions.findById(id);
    if (!subscription) throw AppError.notFound('Webhook subscription', id);
    return subscription;
  }

  private sealSecret(secret: string): string {
    if (!webhookSigningKey(secret)) throw AppError.validation('secret', `secret must be ${WEBHOOK_SECRET_FORMAT}`);
    return this.secrets.encrypt(secret);
  }

  /** The attachment downloader's rule, for the same reason: no requests into our own network unless allowed. */
  private async checkUrl(url: string): Promise<void> {
    if (this.config.env.ALLOW_PRIVATE_NETWORK_FETCH) return;
    const { hostname } = new URL(url);
    if (await isPrivateHost(hostname)) {
      throw AppError.validation('url', `url points to a private network address (${PRIVATE_NETWORK_HINT})`);
    }
  }
}

export function toSubscriptionView(subscription: WebhookSubscription): WebhookSubscriptionView {
  return {
    id: subscription.id,
    url: subscription.url,
    events: subscription.events,
    active: subscription.active,
    pausedReason: subscription.pausedReason,
    secretSet: true,
    createdAt: subscription.createdAt,
    updatedAt: subscription.updatedAt,
  };
}

function toDeliveryView(row: DeliveryLogRow): WebhookDeliveryView {
  const { occurredAt, payload, eventType, ...rest } = row;
  return {
    ...rest,
    eventType,
    webhookId: webhookIdOf(row.id),
    payload: { type: eventType, timestamp: occurredAt.toISOString(), data: payload },
  };
}
