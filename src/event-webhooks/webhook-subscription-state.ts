import { EntityManager } from 'typeorm';

export const PAUSED_BY_ADMIN = 'Paused by an admin';

/**
 * Pauses a subscription: its pending deliveries get no next attempt (held), so claims skip them
 * cheaply however many pile up, until {@link resumeSubscription}.
 */
export async function pauseSubscription(manager: EntityManager, subscriptionId: string, reason: string): Promise<void> {
  await manager.query(
    `UPDATE webhook_subscriptions SET active = false, paused_reason = $2, updated_at = now() WHERE id = $1`,
    [subscriptionId, reason],
  );
  await manager.query(
    `UPDATE webhook_deliveries SET next_attempt_at = NULL, updated_at = now() WHERE subscription_id = $1 AND status = 'pending'`,
    [subscriptionId],
  );
}

/** Resumes a subscription: the failure count starts over and the held deliveries are due now. */
export async function resumeSubscription(manager: EntityManager, subscriptionId: string): Promise<void> {
  await manager.query(
    `UPDATE webhook_subscriptions
        SET active = true, paused_reason = NULL, consecutive_failures = 0, failing_since = NULL, updated_at = now()
      WHERE id = $1`,
    [subscriptionId],
  );
  await manager.query(
    `UPDATE webhook_deliveries SET next_attempt_at = now(), updated_at = now() WHERE subscription_id = $1 AND status = 'pending'`,
    [subscriptionId],
  );
}
