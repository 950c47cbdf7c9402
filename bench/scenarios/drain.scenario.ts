import { randomBytes } from 'node:crypto';
import { postAndUpdate } from '../baselines/post-and-update.baseline';
import { FakeReceiver } from '../fake-receiver';
import { percentile } from '../load';
import { BenchContext, Measurement, Scenario } from '../scenario';
import { insertChats, insertQueuedReplies } from '../seed';

const POLL_MS = 20;
/** The outbox's batch size (OutboundDispatcher.batchSize): replies in flight at once. */
const OUTBOX_CONCURRENCY = 200;

interface DrainChannel {
  id: string;
  receiver: FakeReceiver;
  secret: string;
}

/**
 * Replies queued during an outage: `drainMessages` rows inserted straight into the outbox, then
 * timed until every one is `sent`, through a receiver that refuses 10% of attempts. Each message
 * must reach the receiver exactly once. With `withBaseline`, the same number of replies in another
 * channel are then posted to a receiver of their own by the post-and-UPDATE baseline.
 */
export class DrainScenario implements Scenario {
  private drained?: DrainChannel;
  private baseline?: DrainChannel;

  constructor(
    readonly name: string,
    private readonly withBaseline = false,
  ) {}

  async prepare(context: BenchContext): Promise<void> {
    this.drained = await this.openChannel(context, 'drain');
    if (this.withBaseline) this.baseline = await this.openChannel(context, 'baseline');
  }

  async run(context: BenchContext): Promise<Measurement[]> {
    const measurement = await this.measureService(context);
    if (!this.baseline) return [measurement];
    const baseline = await this.measureBaseline(context, this.baseline);
    return [
      {
        ...measurement,
        baseline: baseline.value,
        baselineP99Ms: baseline.p99Ms,
        problems: [...measurement.problems, ...baseline.problems],
      },
    ];
  }

  async stop(): Promise<void> {
    await this.drained?.receiver.stop();
    await this.baseline?.receiver.stop();
  }

  private async openChannel(context: BenchContext, role: string): Promise<DrainChannel> {
    const secret = randomBytes(24).toString('hex');
    const receiver = await FakeReceiver.start(secret);
    const channel = await context.admin.registerChannel(`Bench ${this.name} ${role}`, 'webhook', {
      url: receiver.url,
      secret,
    });
    const seeds = Array.from({ length: context.sizes.drainChats }, (_, index) => ({
      externalId: `${this.name}-${role}-${index}`,
      operatorId: null,
      queueId: null,
      status: 'active' as const,
      unreadCount: 0,
    }));
    await insertChats(context.db, channel.id, seeds);
    return { id: channel.id, receiver, secret };
  }

  /** The baseline's replies have no due time, so the service leaves them alone. */
  private async measureBaseline(
    context: BenchContext,
    channel: DrainChannel,
  ): Promise<{ value: number; p99Ms: number; problems: string[] }> {
    const { drainMessages } = context.sizes;
    context.progress(`${this.name}: baseline (post each reply, one UPDATE each, ${OUTBOX_CONCURRENCY} in flight)`);
    const messageIds = await insertQueuedReplies(context.db, channel.id, drainMessages, false);
    const startedAt = performance.now();
    const seconds = await postAndUpdate({
      databaseUrl: context.databaseUrl,
      channelId: channel.id,
      receiverUrl: channel.receiver.url,
      secret: channel.secret,
      concurrency: OUTBOX_CONCURRENCY,
    });
    const sent = await this.countSent(context, channel.id);
    const problems = exactlyOnceProblems(channel.receiver, messageIds, sent).map((problem) => `baseline: ${problem}`);
    const latencies = acceptedAfter(channel.receiver, messageIds, startedAt);
    return { value: drainMessages / seconds, p99Ms: percentile(latencies, 0.99), problems };
  }

  private async measureService(context: BenchContext): Promise<Measurement> {
    const { drainMessages, drainTimeoutSeconds } = context.sizes;
    const { receiver, id: channelId } = this.drained!;
    context.progress(`${this.name}: queueing ${drainMessages.toLocaleString('en-US')} replies`);
    const messageIds = await insertQueuedReplies(context.db, channelId, drainMessages);
    const queuedAt = performance.now();
    const deadline = queuedAt + drainTimeoutSeconds * 1000;
    await receiver.whenAccepted(drainMessages, drainTimeoutSeconds * 1000);
    const sent = await this.waitUntilSent(context, channelId, drainMessages, deadline);
    const seconds = (performance.now() - queuedAt) / 1000;
    const latencies = acceptedAfter(receiver, messageIds, queuedAt);
    const { calls, rateLimited, serverErrors } = receiver.counts;
    return {
      name: this.name,
      target: this.name === 'drain_alone' ? 'drain_alone' : 'drain',
      value: sent === drainMessages ? drainMessages / seconds : 0,
      unit: 'msg/s',
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      baseline: null,
      baselineP99Ms: null,
      details: [
        `${this.name}: ${sent} of ${drainMessages} sent in ${seconds.toFixed(2)} s; ${calls} calls, ` +
          `${rateLimited} answered 429 (Retry-After: 1), ${serverErrors} answered 500; ` +
          `p50/p99 are the time from queued to accepted by the receiver`,
      ],
      problems: exactlyOnceProblems(receiver, messageIds, sent),
    };
  }

  /** Polls the outbox until all are `sent` or the deadline passes; returns how many are. */
  private async waitUntilSent(
    context: BenchContext,
    channelId: string,
    expected: number,
    deadline: number,
  ): Promise<number> {
    for (;;) {
      const sent = await this.countSent(context, channelId);
      if (sent >= expected || performance.now() > deadline) return sent;
      await new Promise((done) => setTimeout(done, POLL_MS));
    }
  }

  private async countSent(context: BenchContext, channelId: string): Promise<number> {
    const { rows } = await context.db.query<{ sent: number }>(
      `SELECT count(*)::int AS sent FROM messages WHERE channel_id = $1 AND direction = 'out' AND status = 'sent'`,
      [channelId],
    );
    return rows[0].sent;
  }
}

/** How long after `since` the receiver first accepted each message, sorted. */
function acceptedAfter(receiver: FakeReceiver, messageIds: string[], since: number): number[] {
  return messageIds
    .map((id) => receiver.counts.acceptedAt.get(id))
    .filter((at): at is number => at !== undefined)
    .map((at) => at - since)
    .sort((a, b) => a - b);
}

function exactlyOnceProblems(receiver: FakeReceiver, messageIds: string[], sent: number): string[] {
  const { accepted, badSignatures } = receiver.counts;
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
