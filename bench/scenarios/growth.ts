import { BenchContext, Measurement, Scenario } from '../scenario';
import { flushSeedWrites, growMessages, insertChats } from '../seed';
import { DrainScenario } from './drain.scenario';
import { IngestScenario } from './ingest.scenario';

const ARCHIVE_CHATS = 1_000;

/**
 * Cost growth: `messages` grown to `growthFactor` times its rows, then ingest and drain measured
 * again, each as a ratio to its own figure on the smaller table (`ingest`, `drain`).
 */
export class GrowthScenario implements Scenario {
  readonly name = 'growth';
  private readonly drain = new DrainScenario('drain_growth');

  constructor(
    private readonly ingest: IngestScenario,
    private readonly smallerTable: () => Measurement[],
  ) {}

  /** Seeds nothing up front: the table grows only after the other scenarios ran on the smaller one. */
  async prepare(): Promise<void> {}

  async run(context: BenchContext): Promise<Measurement[]> {
    await this.growTable(context);
    const figure = (name: string) => this.smallerTable().find((m) => m.name === name)!;
    const ingest = await this.ingest.measureGrowth(context, figure('ingest'));
    await this.drain.prepare(context);
    const [drain] = await this.drain.run(context);
    const smallerDrain = figure('drain');
    return [ingest, { ...drain, target: 'growth', baseline: smallerDrain.value, baselineP99Ms: smallerDrain.p99Ms }];
  }

  async stop(): Promise<void> {
    await this.drain.stop();
  }

  private async growTable(context: BenchContext): Promise<void> {
    const channel = await context.admin.registerChannel('Bench archive', 'webhook', {
      url: 'http://127.0.0.1:9/replies-unused',
      secret: 'archive-channel-secret',
    });
    const seeds = Array.from({ length: ARCHIVE_CHATS }, (_, index) => ({
      externalId: `archive-${index}`,
      operatorId: null,
      queueId: null,
      status: 'active' as const,
      unreadCount: 0,
    }));
    const chatIds = await insertChats(context.db, channel.id, seeds);
    context.progress(
      `growth: growing messages ${context.sizes.growthFactor}x (drop indexes, generate_series, build indexes)`,
    );
    const added = await growMessages(context.db, channel.id, chatIds, context.sizes.growthFactor);
    await flushSeedWrites(context);
    context.progress(`growth: ${added.toLocaleString('en-US')} messages added, VACUUM (ANALYZE) and CHECKPOINT done`);
  }
}
