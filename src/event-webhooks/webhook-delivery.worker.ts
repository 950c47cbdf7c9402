import { Injectable, Logger } from '@nestjs/common';
import { SecretBox } from '../common/crypto/secret-box';
import { AppError } from '../common/errors/app-error';
import { Transactions } from '../database/transactions';
import { ProviderError } from '../messaging/contracts/provider-error';
import { BackoffPolicy } from '../messaging/work-queue/backoff-policy';
import { WorkQueueRunner } from '../messaging/work-queue/work-queue.runner';
import { WorkSource } from '../messaging/work-queue/work-source';
import { GONE_PAUSE_REASON, pauseReason, WebhookDeliveryPolicy } from './webhook-delivery.policy';
import { ClaimedDelivery, FailedDeliveryAttempt, WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookEndpointClient, WebhookReceiverError } from './webhook-endpoint.client';
import { webhookSigningKey } from './webhook-signature';
import { WebhookSubscriptionState } from './webhook-subscription-state';
import { WebhookSubscriptionRepository } from './webhook-subscription.repository';

/** The `webhook-id` of a delivery: stable across its attempts and replays, and free of dots. */
export function webhookIdOf(deliveryId: string): string {
  return `msg_${deliveryId}`;
}

/** The body as signed and sent: `{type, timestamp, data}`, the same bytes on every attempt. */
export function webhookBodyOf(type: string, occurredAt: Date, data: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: occurredAt.toISOString(), data });
}

/**
 * The work queue's event-webhook source: one signed POST per attempt, retried on the
 * {@link WebhookDeliveryPolicy} schedule within its window. Every failed attempt counts against
 * the subscription, which is paused after failing for too long, or at once on 410 Gone; the
 * deliveries of a paused subscription are held until it is resumed.
 */
@Injectable()
export class WebhookDeliveryWorker implements WorkSource<ClaimedDelivery, number> {
  static readonly LOOP = 'webhook-deliveries';
  readonly name = WebhookDeliveryWorker.LOOP;
  readonly batchSize = 50;
  readonly failureScope = 'delivery';
  private readonly logger = new Logger(WebhookDeliveryWorker.name);

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly subscriptionState: WebhookSubscriptionState,
    private readonly client: WebhookEndpointClient,
    private readonly secrets: SecretBox,
    private readonly policy: WebhookDeliveryPolicy,
    private readonly transactions: Transactions,
    private readonly runner: WorkQueueRunner,
  ) {
    runner.serve(this);
  }

  /** Read on every failure, so that a test may shorten the policy's timings. */
  get backoff(): BackoffPolicy {
    return this.policy.backoff;
  }

  /** Look for due deliveries now rather than at the next tick. */
  wake(): void {
    this.runner.wake(this);
  }

  /**
   * Queues any delivery again, under the same webhook-id. A delivered or failed one starts over
   * (attempts from 0, a new retry window); a pending one is simply due now.
   */
  async replay(deliveryId: string): Promise<void> {
    const delivery = await this.deliveries.findSubscriptionOf(deliveryId);
    if (!delivery) throw AppError.notFound('Webhook delivery', deliveryId);
    if (!delivery.active) {
      throw new AppError(
        'CONFLICT',
        `Webhook subscription ${delivery.subscriptionId} is paused; resume it with PATCH {"active": true} first`,
      );
    }
    await this.deliveries.requeueForReplay(deliveryId);
    this.wake();
  }

  /** Longer than any attempt can take, so a lapsed lease means the attempt's process is gone. */
  private get leaseMs(): number {
    return this.policy.requestTimeoutMs * 2 + 5_000;
  }

  claim(limit: number): Promise<ClaimedDelivery[]> {
    return this.deliveries.claimDue(limit, this.leaseMs);
  }

  perform(delivery: ClaimedDelivery): Promise<number> {
    return this.client.post({
      url: delivery.url,
      webhookId: webhookIdOf(delivery.id),
      body: webhookBodyOf(delivery.eventType, delivery.occurredAt, delivery.payload),
      signingKey: this.signingKeyOf(delivery),
    });
  }

  async complete(delivery: ClaimedDelivery, statusCode: number): Promise<void> {
    await this.transactions.run(async () => {
      if (await this.deliveries.settleDelivered(delivery, statusCode)) {
        await this.subscriptions.clearFailures(delivery.subscriptionId);
      }
    });
  }

  retry(delivery: ClaimedDelivery, failure: ProviderError, retryInMs: number): Promise<void> {
    return this.settleFailure(delivery, failure, { retryInMs, givenUp: false });
  }

  /** 410 Gone: the attempt is logged, the subscription paused at once and the delivery held with it. */
  pause(delivery: ClaimedDelivery, failure: ProviderError): Promise<void> {
    return this.settleFailure(delivery, failure, { retryInMs: null, givenUp: false }, GONE_PAUSE_REASON);
  }

  giveUp(delivery: ClaimedDelivery, failure: ProviderError): Promise<void> {
    return this.settleFailure(delivery, failure, { retryInMs: null, givenUp: true });
  }

  private signingKeyOf(delivery: ClaimedDelivery): Buffer {
    const key = webhookSigningKey(this.secrets.decrypt(delivery.secret));
    if (!key) throw new Error(`the stored secret of subscription ${delivery.subscriptionId} is not a whsec_ secret`);
    return key;
  }

  /** Records the failed attempt and counts it against the subscription, pausing it when it has failed too long. */
  private async settleFailure(
    delivery: ClaimedDelivery,
    failure: ProviderError,
    next: Pick<FailedDeliveryAttempt, 'retryInMs' | 'givenUp'>,
    pauseNow?: string,
  ): Promise<void> {
    const statusCode = failure instanceof WebhookReceiverError ? failure.statusCode : null;
    const paused = await this.transactions.run(async () => {
      const settled = await this.deliveries.settleFailedAttempt(delivery, {
        statusCode,
        error: failure.message,
        ...next,
      });
      if (!settled) return undefined;
      const failures = await this.subscriptions.recordFailure(delivery.subscriptionId);
      if (!failures?.active) return undefined;
      const reason = pauseNow ?? pauseReason(this.policy, failures, failure.message);
      if (reason) await this.subscriptionState.pause(delivery.subscriptionId, reason);
      return reason;
    });
    if (paused) this.logger.warn(`Webhook subscription ${delivery.subscriptionId} paused: ${paused}`);
  }
}
