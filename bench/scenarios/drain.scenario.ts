import { randomBytes } from 'node:crypto';
import { FakeReceiver } from '../fake-receiver';
import { percentile } from '../load';
import { BenchContext, Measurement, Scenario } from '../scenario';
import { insertChats, insertQueuedReplies } from '../seed';

const POLL_MS = 20;

/**
 * Replies queued during an outage: `drainMessages` rows inserted straight into the outbox, then
 * timed until every one is `sent`, through a receiver that refuses 10% of attempts. Each message
 * must reach the receiver exactly once.
 */
export class DrainScenario implements Scenario {
  readonly name = 'drain';
  private receiver?: FakeReceiver;
  private channelId = '';

  async prepare(context: BenchContext): Promise<void> {
    const secret = randomBytes(24).toString('hex');
    this.receiver = await FakeReceiver.start(secret);
    const channel = await context.admin.registerChannel('Bench drain', 'webhook', { url: this.receiver.url, secret });
    this.channelId = channel.id;
    const seeds = Array.from({ length: context.sizes.drainChats }, (_, index) => ({
      externalId: `drain-${index}`,
      operatorId: null,
      queueId: null,
      status: 'active' as const,
      unreadCount: 0,
    }));
    await insertChats(context.db, channel.id, seeds);
  }

  async run(context: BenchContext): Promise<Measurement[]> {
    const { drainMessages, drainTimeoutSeconds } = context.sizes;
    const receiver = this.receiver!;
    context.progress(`drain: queueing ${drainMessages.toLocaleString('en-US')} replies`);
    const messageIds = await insertQueuedReplies(context.db, this.channelId, drainMessages);
    const queuedAt = performance.now();
    const deadline = queuedAt + drainTimeoutSeconds * 1000;
    await receiver.whenAccepted(drainMessages, drainTimeoutSeconds * 1000);
    const sent = await this.waitUntilSent(context, drainMessages, deadline);
    const seconds = (performance.now() - queuedAt) / 1000;
    const latencies = messageIds
      .map((id) => receiver.counts.acceptedAt.get(id))
      .filter((at): at is number => at !== undefined)
      .map((at) => at - queuedAt)
      .sort((a, b) => a - b);
    const { calls, rateLimited, serverErrors } = receiver.counts;
    return [
      {
        name: this.name,
        target: 'drain',
        value: sent === drainMessages ? drainMessages / seconds : 0,
        unit: 'msg/s',
        p50Ms: percentile(latencies, 0.5),
        p99Ms: percentile(latencies, 0.99),
        baseline: null,
        details: [
          `drain: ${sent} of ${drainMessages} sent in ${seconds.toFixed(2)} s; ${calls} calls, ` +
            `${rateLimited} answered 429 (Retry-After: 1), ${serverErrors} answered 500; ` +
            `p50/p99 are the time from queued to accepted by the receiver`,
        ],
        problems: this.exactlyOnceProblems(messageIds, sent),
      },
    ];
  }

  async stop(): Promise<void> {
    await this.receiver?.stop();
  }

  /** Polls the outbox until all are `sent` or the deadline passes; returns how many are. */
  private async waitUntilSent(context: BenchContext, expected: number, deadline: number): Promise<number> {
    for (;;) {
      const { rows } = await context.db.query<{ sent: number }>(
        `SELECT count(*)::int AS sent FROM messages WHERE channel_id = $1 AND direction = 'out' AND status = 'sent'`,
        [this.channelId],
      );
      if (rows[0].sent >= expected || performance.now() > deadline) return rows[0].sent;
      await new Promise((done) => setTimeout(done, POLL_MS));
    }
  }

  private exactlyOnceProblems(messageIds: string[], sent: number): string[] {
    const { accepted, badSignatures } = this.receiver!.counts;
    const problems: string[] = [];
    const missing = messageIds.filter((id) => !accepted.has(id)).length;
    const repeated = [...accepted.values()].filter((deliveries) => deliveries > 1).length;
    const unknown = accepted.size - (messageIds.length - missing);
    if (missing > 0) problems.push(`${missing} replies never reached the receiver`);
    if (repeated > 0) problems.push(`${repeated} replies reached the receiver more than once`);
    if (unknown > 0) problems.push(`${unknown} deliveries of messages that were not queued`);
    if (badSignatures > 0) problems.push(`${badSignatures} deliveries with a wrong signature`);
    if (sent !== messageIds.length) problems.push(`${messageIds.length - sent} replies not marked sent`);
    return problems;
  }
}
