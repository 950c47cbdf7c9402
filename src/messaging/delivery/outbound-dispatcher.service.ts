import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { Metrics } from '../../observability/metrics.service';
import { ChannelContextLoader } from '../channel-context/channel-context.loader';
import { ProviderError } from '../contracts/provider-error';
import { OutgoingMessage, UnifiedAttachment } from '../contracts/unified-message';
import { DeliveryReceiptApplier } from '../message-manager/delivery-receipt.applier';
import { ProviderRegistry } from '../registry/provider-registry.service';
import { ChannelSendBudget } from './channel-send-budget';
import { retryDelayMs } from './retry-backoff';
import { WorkLoops } from '../work-loops/work-loops.service';

interface ClaimedMessage {
  id: string;
  channel_id: string;
  provider: string;
  external_chat_id: string;
  recipient_external_id: string;
  text: string | null;
  attempts: number;
  attachments: UnifiedAttachment[];
}

interface SettledMessage {
  chat_id: string;
  status: string;
  error: string | null;
  provider_message_id: string | null;
}

/** Replies claimed and sent concurrently per round; measured: 50 drained ~500/s, 200 drained ~1,000/s (npm run bench). */
const BATCH_SIZE = 200;

/**
 * Delivers queued outgoing messages (the transactional outbox). A claim moves a message to
 * `sending` and leases it; if this process dies mid-send the lease lapses and another claim
 * takes it, so nothing queued is lost. Settling is guarded by the attempt number, so a stale
 * sender never overwrites a newer attempt.
 */
@Injectable()
export class OutboundDispatcher {
  static readonly LOOP = 'outbox';
  private readonly logger = new Logger(OutboundDispatcher.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: ProviderRegistry,
    private readonly channels: ChannelContextLoader,
    private readonly config: AppConfig,
    private readonly receipts: DeliveryReceiptApplier,
    private readonly sendBudget: ChannelSendBudget,
    private readonly metrics: Metrics,
    private readonly loops: WorkLoops,
  ) {
    loops.define({
      name: OutboundDispatcher.LOOP,
      intervalMs: config.env.WORKER_POLL_INTERVAL_MS,
      batchSize: BATCH_SIZE,
      runOnce: (size) => this.deliverDueMessages(size),
    });
  }

  /** Deliver now rather than at the next tick. */
  wake(): void {
    this.loops.wake(OutboundDispatcher.LOOP);
  }

  private get leaseMs(): number {
    return this.config.env.PROVIDER_HTTP_TIMEOUT_MS * 2 + 5_000;
  }

  private async deliverDueMessages(batchSize: number): Promise<number> {
    await this.failAbandonedAttempts();
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [claimed]: [ClaimedMessage[], number] = await this.dataSource.query(
      `WITH due AS (
         SELECT id FROM messages
          WHERE status IN ('queued', 'sending') AND next_attempt_at <= now()
            AND NOT EXISTS (SELECT 1 FROM channels ch
                             WHERE ch.id = messages.channel_id AND (ch.error IS NOT NULL OR NOT ch.active))
          ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE messages m
          SET status = 'sending', attempts = m.attempts + 1, updated_at = now(),
              next_attempt_at = now() + make_interval(secs => $2::float / 1000)
         FROM due, chats c, channels ch
        WHERE m.id = due.id AND c.id = m.chat_id AND ch.id = m.channel_id
       RETURNING m.id, m.channel_id, ch.provider, c.external_chat_id, m.text, m.attempts,
         (SELECT i.external_user_id FROM contact_identities i
           WHERE i.contact_id = c.contact_id AND i.channel_id = c.channel_id LIMIT 1) AS recipient_external_id,
         (SELECT coalesce(json_agg(json_build_object('kind', f.kind, 'url', f.source_url,
                   'fileName', f.file_name, 'mimeType', f.mime_type) ORDER BY f.created_at), '[]')
            FROM message_files f WHERE f.message_id = m.id) AS attachments`,
      [batchSize, this.leaseMs],
    );
    await Promise.all(claimed.map((message) => this.deliver(message)));
    return claimed.length;
  }

  /** A claim that lapsed on its last allowed attempt (the process died mid-send) is not tried again. */
  private async failAbandonedAttempts(): Promise<void> {
    await this.dataSource.query(
      `UPDATE messages SET status = 'failed', next_attempt_at = NULL, updated_at = now(),
              error = coalesce(error || '; ', '') || 'no outcome known for the last attempt; gave up after ' || attempts || ' attempts'
        WHERE status = 'sending' AND next_attempt_at <= now() AND attempts >= $1`,
      [this.config.env.OUTBOUND_MAX_ATTEMPTS],
    );
  }

  private async deliver(message: ClaimedMessage): Promise<void> {
    try {
      const { channel, context } = await this.channels.loadForTraffic(message.channel_id);
      const outgoing: OutgoingMessage = {
        id: message.id,
        externalChatId: message.external_chat_id,
        recipientExternalId: message.recipient_external_id,
        text: message.text,
        attachments: message.attachments.map(withoutNulls),
      };
      const { outcome, registration } = this.registry.get(channel.provider);
      const waitMs = await this.sendBudgetWait(channel.id, registration.capabilities.maxSendsPerSecond);
      if (waitMs > 0) return await this.postpone(message, waitMs);
      const { externalId } = await outcome.send(outgoing, context);
      await this.settle(message, `status = 'sent', provider_message_id = $3, sent_at = now(), error = NULL`, [
        externalId,
      ]);
    } catch (error) {
      await this.recordFailure(message, error);
    }
  }

  private async sendBudgetWait(channelId: string, maxSendsPerSecond: number | undefined): Promise<number> {
    return maxSendsPerSecond ? this.sendBudget.take(channelId, maxSendsPerSecond) : 0;
  }

  /** Over the channel's send rate: back to the queue until the next second, the attempt not counted. */
  private async postpone(message: ClaimedMessage, waitMs: number): Promise<void> {
    await this.settle(
      message,
      `status = 'queued', attempts = attempts - 1, next_attempt_at = now() + make_interval(secs => $3::float / 1000)`,
      [waitMs],
    );
  }

  private async recordFailure(message: ClaimedMessage, error: unknown): Promise<void> {
    const providerError = ProviderError.from(error);
    this.metrics.providerErrors.inc({ provider: message.provider, code: providerError.code });
    if (providerError.code === 'AUTH_FAILED') return this.parkOnBrokenChannel(message, providerError);
    const retry = providerError.retryable && message.attempts < this.config.env.OUTBOUND_MAX_ATTEMPTS;
    if (retry) {
      const delay = providerError.retryAfterMs ?? retryDelayMs(message.attempts);
      this.logger.warn(
        `message ${message.id} attempt ${message.attempts}: ${providerError.message}; retrying in ${delay} ms`,
      );
      await this.settle(
        message,
        `status = 'queued', error = $3, next_attempt_at = now() + make_interval(secs => $4::float / 1000)`,
        [providerError.message, delay],
      );
      return;
    }
    this.logger.warn(`message ${message.id} failed (${providerError.code}): ${providerError.message}`);
    await this.settle(message, `status = 'failed', error = $3, next_attempt_at = NULL`, [providerError.message]);
  }

  /**
   * The provider rejects the channel's credentials: the reply is not at fault, so it goes back to
   * the queue (this attempt not counted) and the channel is marked in error. Claims skip channels in
   * error, so the provider is not hammered; fixing the settings clears the error and sending resumes.
   */
  private async parkOnBrokenChannel(message: ClaimedMessage, providerError: ProviderError): Promise<void> {
    this.logger.warn(`channel ${message.channel_id} rejected our credentials: ${providerError.message}`);
    await this.dataSource.query(`UPDATE channels SET error = $2, connected = false WHERE id = $1`, [
      message.channel_id,
      providerError.message,
    ]);
    await this.settle(message, `status = 'queued', error = $3, attempts = attempts - 1, next_attempt_at = now()`, [
      providerError.message,
    ]);
  }

  /**
   * Records the outcome of this attempt and, when it is final (sent or failed), the message.status
   * event, in one statement (one round trip, one commit). Receipts that arrived before the send
   * settled are applied after, in the rare case there are any.
   */
  private async settle(message: ClaimedMessage, assignments: string, params: unknown[]): Promise<void> {
    const [settled] = await this.dataSource.query<(SettledMessage & { has_pending: boolean })[]>(
      `WITH settled AS (
         UPDATE messages SET ${assignments}, updated_at = now()
          WHERE id = $1 AND status = 'sending' AND attempts = $2
          RETURNING id, chat_id, status, error, provider_message_id),
       event AS (
         INSERT INTO chat_events (type, chat_id, operator_id, queue_id, payload)
         SELECT 'message.status', c.id, c.operator_id, c.queue_id,
                jsonb_build_object('chatId', c.id, 'messageId', s.id::text, 'status', s.status, 'error', s.error)
           FROM settled s JOIN chats c ON c.id = s.chat_id WHERE s.status <> 'queued')
       SELECT s.chat_id, s.status, s.error, s.provider_message_id,
              EXISTS (SELECT 1 FROM pending_receipts p
                       WHERE p.channel_id = $${params.length + 3} AND p.provider_message_id = s.provider_message_id) AS has_pending
         FROM settled s`,
      [message.id, message.attempts, ...params, message.channel_id],
    );
    if (!settled || settled.status === 'queued') return;
    this.metrics.messagesOut.inc({ provider: message.provider, status: settled.status });
    if (settled.has_pending && settled.provider_message_id) {
      await this.receipts.applyPending(message.channel_id, settled.provider_message_id);
    }
  }
}

function withoutNulls(attachment: UnifiedAttachment): UnifiedAttachment {
  return Object.fromEntries(Object.entries(attachment).filter(([, value]) => value !== null)) as UnifiedAttachment;
}
