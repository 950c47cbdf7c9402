import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { startBaseline } from '../baselines/baseline-server';
import { InsertMessageConfig } from '../baselines/insert-message.baseline';
import { FakeTelegramApi } from '../fake-telegram-api';
import { LoadResult, loadProblems, runLoad, runWarmLoad } from '../load';
import { BenchContext, Measurement, Scenario } from '../scenario';
import { insertChats } from '../seed';
import { CustomerTraffic, InboundFormat, telegramFormat, webhookFormat } from './customer-traffic';

const BASELINE_CHATS = 100;
/** Share of measured requests from customers never seen before; the rest write into open chats. */
const NEW_CUSTOMER_SHARE = 0.2;

interface IngestTarget {
  name: string;
  channelId: string;
  format: InboundFormat;
}

/** What the service answered, counted from the bodies: `{"stored":1}` for each new message. */
interface Acknowledgements {
  stored: number;
  duplicates: number;
}

/**
 * Signed webhook posts, each answered only after commit, from a mix of new and existing customers:
 * the `webhook` provider, the Telegram format when that provider is registered, and the one-INSERT
 * baseline. Afterwards every 2xx must be exactly one stored row.
 */
export class IngestScenario implements Scenario {
  readonly name = 'ingest';
  private readonly targets: IngestTarget[] = [];
  private baselineConfig?: InsertMessageConfig;
  private telegramApi?: FakeTelegramApi;

  async prepare(context: BenchContext): Promise<void> {
    context.progress('ingest: registering channels');
    const secret = randomBytes(24).toString('hex');
    const settings = { url: 'http://127.0.0.1:9/replies-unused', secret };
    const webhook = await context.admin.registerChannel('Bench ingest', 'webhook', settings);
    this.targets.push({ name: 'ingest', channelId: webhook.id, format: webhookFormat(secret) });
    const baseline = await context.admin.registerChannel('Bench ingest baseline', 'webhook', settings);
    this.baselineConfig = { channelId: baseline.id, chats: await baselineChats(context.db, baseline.id) };
    if ((await context.admin.providerCodes()).includes('telegram')) {
      this.telegramApi = await FakeTelegramApi.start();
      const telegram = await context.admin.registerChannel('Bench Telegram', 'telegram', {
        token: '7000001:BENCH-token-0123456789abcdef',
        apiBaseUrl: this.telegramApi.url,
      });
      const format = telegramFormat(this.telegramApi.webhookSecretToken!);
      this.targets.push({ name: 'ingest_telegram', channelId: telegram.id, format });
    } else {
      context.progress('ingest: no telegram provider is registered; skipping the Telegram-format variant');
    }
  }

  async run(context: BenchContext): Promise<Measurement[]> {
    const baseline = await this.measureBaseline(context);
    const measurements: Measurement[] = [];
    for (const target of this.targets) {
      context.progress(`ingest: ${target.name}, ${context.sizes.ingestConnections} connections`);
      measurements.push(await this.measureService(context, target, baseline));
    }
    return measurements;
  }

  async stop(): Promise<void> {
    await this.telegramApi?.stop();
  }

  /** The `webhook` load again on a channel of its own once the table has grown, as a ratio to its figure on the smaller table. */
  async measureGrowth(context: BenchContext, smallerTable: Measurement): Promise<Measurement> {
    const secret = randomBytes(24).toString('hex');
    const settings = { url: 'http://127.0.0.1:9/replies-unused', secret };
    const channel = await context.admin.registerChannel('Bench ingest growth', 'webhook', settings);
    const target = { name: 'ingest_growth', channelId: channel.id, format: webhookFormat(secret) };
    context.progress(`ingest_growth: ${context.sizes.ingestConnections} connections`);
    const grown = await this.measureService(context, target, {
      okPerSecond: smallerTable.value,
      p99Ms: smallerTable.p99Ms,
    });
    return { ...grown, target: 'growth' };
  }

  private async measureBaseline(context: BenchContext): Promise<LoadResult> {
    context.progress('ingest: baseline (bare node:http + one INSERT)');
    const server = await startBaseline('insert-message', context.databaseUrl, this.baselineConfig);
    try {
      const traffic = this.traffic(context, '/', webhookFormat('unchecked'));
      const options = { url: server.url, ...this.load(context), nextRequest: () => traffic.nextRequest() };
      // As many unmeasured requests as the service's warm-up opens chats with.
      return await runWarmLoad(options, context.sizes.ingestExistingChats);
    } finally {
      await server.stop();
    }
  }

  private async measureService(
    context: BenchContext,
    target: IngestTarget,
    baseline: Pick<LoadResult, 'okPerSecond' | 'p99Ms'>,
  ): Promise<Measurement> {
    const traffic = this.traffic(context, `/webhooks/${target.channelId}`, target.format);
    const acknowledgements: Acknowledgements = { stored: 0, duplicates: 0 };
    const onAnswer = (status: number, body: string) => countAcknowledgement(acknowledgements, status, body);
    let opened = 0;
    const warmUp = await runLoad({
      url: context.serviceUrl,
      connections: context.sizes.ingestConnections,
      amount: context.sizes.ingestExistingChats,
      nextRequest: () => traffic.openingRequest(opened++),
      onAnswer,
    });
    const load = await runLoad({
      url: context.serviceUrl,
      ...this.load(context),
      nextRequest: () => traffic.nextRequest(),
      onAnswer,
    });
    const problems = [...loadProblems('warm-up', warmUp), ...loadProblems('load', load)];
    const inFlight = warmUp.sent - warmUp.answered + (load.sent - load.answered);
    problems.push(...(await checkStoredOnce(context.db, target.channelId, acknowledgements, inFlight)));
    return {
      name: target.name,
      target: 'ingest',
      value: load.okPerSecond,
      unit: 'msg/s',
      p50Ms: load.p50Ms,
      p99Ms: load.p99Ms,
      baseline: baseline.okPerSecond,
      baselineP99Ms: baseline.p99Ms,
      details: [`${target.name}: ${load.ok} messages in ${load.seconds} s after ${warmUp.ok} opening ones`],
      problems,
    };
  }

  private traffic(context: BenchContext, path: string, format: InboundFormat): CustomerTraffic {
    return new CustomerTraffic(path, format, context.sizes.ingestExistingChats, NEW_CUSTOMER_SHARE);
  }

  private load(context: BenchContext) {
    return { connections: context.sizes.ingestConnections, seconds: context.sizes.loadSeconds };
  }
}

async function baselineChats(db: Pool, channelId: string): Promise<InsertMessageConfig['chats']> {
  const seeds = Array.from({ length: BASELINE_CHATS }, (_, index) => ({
    externalId: `baseline-${index}`,
    operatorId: null,
    queueId: null,
    status: 'queued' as const,
    unreadCount: 0,
  }));
  const chatIds = await insertChats(db, channelId, seeds);
  const { rows } = await db.query<{ id: string; contact_id: string }>(
    'SELECT id, contact_id FROM chats WHERE id = ANY($1::uuid[])',
    [chatIds],
  );
  return rows.map((row) => ({ id: row.id, contactId: row.contact_id }));
}

function countAcknowledgement(acknowledgements: Acknowledgements, status: number, body: string): void {
  if (status < 200 || status >= 300) return;
  const { stored, duplicates } = JSON.parse(body) as { stored: number; duplicates: number };
  acknowledgements.stored += stored;
  acknowledgements.duplicates += duplicates;
}

/**
 * Every acknowledged message is stored once: no two rows share a provider id, and the rows number
 * the acknowledgements plus at most the requests still in flight when the load stopped.
 */
async function checkStoredOnce(
  db: Pool,
  channelId: string,
  acknowledgements: Acknowledgements,
  inFlight: number,
): Promise<string[]> {
  const { rows, distinct } = await settledCount(db, channelId);
  const problems: string[] = [];
  if (acknowledgements.duplicates > 0)
    problems.push(`${acknowledgements.duplicates} new messages answered as duplicates`);
  if (distinct !== rows) problems.push(`${rows - distinct} messages stored twice`);
  if (rows < acknowledgements.stored)
    problems.push(`${acknowledgements.stored - rows} acknowledged messages not stored`);
  if (rows > acknowledgements.stored + inFlight) {
    problems.push(`${rows - acknowledgements.stored - inFlight} more messages stored than sent`);
  }
  return problems;
}

/** The channel's inbound rows once requests still running in the service have finished. */
async function settledCount(db: Pool, channelId: string): Promise<{ rows: number; distinct: number }> {
  let previous = -1;
  for (;;) {
    const { rows } = await db.query<{ rows: number; distinct: number }>(
      `SELECT count(*)::int AS rows, count(DISTINCT provider_message_id)::int AS distinct
         FROM messages WHERE channel_id = $1 AND direction = 'in'`,
      [channelId],
    );
    if (rows[0].rows === previous) return rows[0];
    previous = rows[0].rows;
    await new Promise((done) => setTimeout(done, 300));
  }
}
