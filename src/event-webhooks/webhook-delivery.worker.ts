import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SecretBox } from '../common/crypto/secret-box';
import { AppConfig } from '../config/app-config';
import { WorkLoops } from '../messaging/work-loops/work-loops.service';
import { GONE_PAUSE_REASON, pauseReason, planRetry, WebhookDeliveryPolicy } from './webhook-delivery.policy';
import { WebhookAttemptOutcome, WebhookEndpointClient } from './webhook-endpoint.client';
import { webhookSigningKey } from './webhook-signature';
import { pauseSubscription } from './webhook-subscription-state';

interface ClaimedDelivery {
  id: string;
  subscription_id: string;
  url: string;
  secret: string;
  event_type: string;
  occurred_at: Date;
  payload: Record<string, unknown>;
  attempts: number;
  /** How long ago it was queued (or replayed), when claimed. */
  age_ms: number;
}

type FailedAttempt = Extract<WebhookAttemptOutcome, { delivered: false }>;

const BATCH_SIZE = 50;

/** The `webhook-id` of a delivery: stable across its attempts and replays, and free of dots. */
export function webhookIdOf(deliveryId: string): string {
  return `msg_${deliveryId}`;
}

/** The body as signed and sent: `{type, timestamp, data}`, the same bytes on every attempt. */
export function webhookBodyOf(type: string, occurredAt: Date, data: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: occurredAt.toISOString(), data });
}

/**
 * Sends due webhook deliveries, like the outbound dispatcher: a claim leases the row (SKIP LOCKED,
 * so instances share the work), and settling is guarded by the attempt number, so an attempt
 * whose lease lapsed never overwrites a newer one. Deliveries of paused subscriptions are held.
 */
@Injectable()
export class WebhookDeliveryWorker {
  static readonly LOOP = 'webhook-deliveries';
  private readonly logger = new Logger(WebhookDeliveryWorker.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly client: WebhookEndpointClient,
    private readonly secrets: SecretBox,
    private readonly policy: WebhookDeliveryPolicy,
    private readonly loops: WorkLoops,
    config: AppConfig,
  ) {
    loops.define({
      name: WebhookDeliveryWorker.LOOP,
      intervalMs: config.env.WORKER_POLL_INTERVAL_MS,
      batchSize: BATCH_SIZE,
      runOnce: (size) => this.deliverDue(size),
    });
  }

  /** Look for due deliveries now rather than at the next tick. */
  wake(): void {
    this.loops.wake(WebhookDeliveryWorker.LOOP);
  }

  /** Longer than any attempt can take, so a lapsed lease means the attempt's process is gone. */
  private get leaseMs(): number {
    return this.policy.requestTimeoutMs * 2 + 5_000;
  }

  private async deliverDue(batchSize: number): Promise<number> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [claimed]: [ClaimedDelivery[], number] = await this.dataSource.query(
      `WITH due AS (
         SELECT d.id FROM webhook_deliveries d
          WHERE d.status = 'pending' AND d.next_attempt_at <= now()
            AND EXISTS (SELECT 1 FROM webhook_subscriptions s WHERE s.id = d.subscription_id AND s.active)
          ORDER BY d.next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE webhook_deliveries d
          SET attempts = d.attempts + 1, last_attempt_at = now(), updated_at = now(),
              next_attempt_at = now() + make_interval(secs => $2::float / 1000)
         FROM due, webhook_subscriptions s
        WHERE d.id = due.id AND s.id = d.subscription_id
       RETURNING d.id, d.subscription_id, s.url, s.secret, d.event_type, d.occurred_at, d.payload, d.attempts,
                 (extract(epoch FROM now() - d.queued_at) * 1000)::float8 AS age_ms`,
      [batchSize, this.leaseMs],
    );
    await Promise.all(claimed.map((delivery) => this.attempt(delivery)));
    return claimed.length;
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const startedAt = Date.now();
    let outcome: WebhookAttemptOutcome;
    try {
      outcome = await this.client.post({
        url: delivery.url,
        webhookId: webhookIdOf(delivery.id),
        body: webhookBodyOf(delivery.event_type, delivery.occurred_at, delivery.payload),
        signingKey: this.signingKeyOf(delivery),
      });
    } catch (error) {
      outcome = { delivered: false, statusCode: null, error: (error as Error).message, gone: false };
    }
    try {
      if (outcome.delivered) await this.settleDelivered(delivery, outcome.statusCode);
      else await this.settleFailed(delivery, outcome, delivery.age_ms + Date.now() - startedAt);
    } catch (error) {
      // The lease lapses and the delivery is attempted again: at least once, never lost.
      this.logger.error(`Could not record the outcome of webhook delivery ${delivery.id}: ${(error as Error).message}`);
    }
  }

  private signingKeyOf(delivery: ClaimedDelivery): Buffer {
    const key = webhookSigningKey(this.secrets.decrypt(delivery.secret));
    if (!key) throw new Error(`the stored secret of subscription ${delivery.subscription_id} is not a whsec_ secret`);
    return key;
  }

  private async settleDelivered(delivery: ClaimedDelivery, statusCode: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const settled = await this.settle(
        manager,
        delivery,
        `status = 'delivered', delivered_at = now(), next_attempt_at = NULL, last_status_code = $3, last_error = NULL`,
        [statusCode],
      );
      if (!settled) return;
      await manager.query(
        `UPDATE webhook_subscriptions SET consecutive_failures = 0, failing_since = NULL
          WHERE id = $1 AND (consecutive_failures <> 0 OR failing_since IS NOT NULL)`,
        [delivery.subscription_id],
      );
    });
  }

  private async settleFailed(delivery: ClaimedDelivery, outcome: FailedAttempt, ageMs: number): Promise<void> {
    const plan = planRetry(this.policy, delivery.attempts, ageMs, outcome.retryAfterMs);
    const paused = await this.dataSource.transaction(async (manager) => {
      const settled =
        'retryInMs' in plan
          ? await this.settle(
              manager,
              delivery,
              `next_attempt_at = now() + make_interval(secs => $3::float / 1000), last_status_code = $4, last_error = $5`,
              [plan.retryInMs, outcome.statusCode, outcome.error],
            )
          : await this.settle(
              manager,
              delivery,
              `status = 'failed', next_attempt_at = NULL, last_status_code = $3, last_error = $4`,
              [outcome.statusCode, outcome.error],
            );
      return settled ? this.countFailure(manager, delivery.subscription_id, outcome) : undefined;
    });
    if ('giveUp' in plan) {
      this.logger.warn(
        `Webhook delivery ${delivery.id} failed for good after ${delivery.attempts} attempts: ${outcome.error}`,
      );
    }
    if (paused) this.logger.warn(`Webhook subscription ${delivery.subscription_id} paused: ${paused}`);
  }

  /** Records a failure on the subscription; pauses it and returns why when it has failed for too long. */
  private async countFailure(
    manager: EntityManager,
    subscriptionId: string,
    outcome: FailedAttempt,
  ): Promise<string | undefined> {
    const [[health]] = await manager.query<[[{ consecutiveFailures: number; failingForMs: number; active: boolean }]]>(
      `UPDATE webhook_subscriptions
          SET consecutive_failures = consecutive_failures + 1, failing_since = coalesce(failing_since, now())
        WHERE id = $1
        RETURNING consecutive_failures AS "consecutiveFailures", active,
                  (extract(epoch FROM now() - failing_since) * 1000)::float8 AS "failingForMs"`,
      [subscriptionId],
    );
    if (!health?.active) return undefined;
    const reason = outcome.gone ? GONE_PAUSE_REASON : pauseReason(this.policy, health, outcome.error);
    if (!reason) return undefined;
    await pauseSubscription(manager, subscriptionId, reason);
    return reason;
  }

  /** Applies the outcome if this is still the delivery's latest attempt; false if a newer one took over. */
  private async settle(
    manager: EntityManager,
    delivery: ClaimedDelivery,
    assignments: string,
    params: unknown[],
  ): Promise<boolean> {
    const [, settled] = await manager.query<[unknown[], number]>(
      `UPDATE webhook_deliveries SET ${assignments}, updated_at = now()
        WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
      [delivery.id, delivery.attempts, ...params],
    );
    return settled > 0;
  }
}
