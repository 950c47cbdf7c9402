import { startBaseline } from '../baselines/baseline-server';
import { LoadRequest, loadProblems, runWarmLoad } from '../load';
import { seededRandom } from '../pseudo-random';
import { BenchContext, Measurement, Scenario } from '../scenario';
import { insertChats, insertConversations } from '../seed';

const PAGE_SIZE = 50;

interface MessagePage {
  items: { id: string }[];
}

/**
 * An agent paging back through long conversations: pages of 50 at random depths of chats of
 * `historyMessagesPerChat` messages each, read with the owning operator's token; the baseline is
 * one indexed SELECT of the same page.
 */
export class HistoryScenario implements Scenario {
  readonly name = 'history';
  private chatIds: string[] = [];
  private operatorToken = '';

  async prepare(context: BenchContext): Promise<void> {
    const { historyChats, historyMessagesPerChat } = context.sizes;
    const operator = await context.admin.createOperator('History reader', 'history-reader@bench.example');
    this.operatorToken = operator.token;
    const channel = await context.admin.registerChannel('Bench history', 'webhook', {
      url: 'http://127.0.0.1:9/replies-unused',
      secret: 'history-channel-secret',
    });
    const seeds = Array.from({ length: historyChats }, (_, index) => ({
      externalId: `history-${index}`,
      operatorId: operator.id,
      queueId: null,
      status: 'active' as const,
      unreadCount: 0,
    }));
    this.chatIds = await insertChats(context.db, channel.id, seeds);
    const total = (historyChats * historyMessagesPerChat).toLocaleString('en-US');
    context.progress(`history: seeding ${total} messages in ${historyChats} chats (generate_series)`);
    await insertConversations(context.db, channel.id, this.chatIds, historyMessagesPerChat);
  }

  async run(context: BenchContext): Promise<Measurement[]> {
    const baselineServer = await startBaseline('select-page', context.databaseUrl);
    try {
      const problems = await this.checkSamePage(context.serviceUrl, baselineServer.url);
      const { readConnections: connections, loadSeconds: seconds, warmUpRequests } = context.sizes;
      const measurePages = (url: string) =>
        runWarmLoad({ url, connections, seconds, nextRequest: this.pages(context) }, warmUpRequests);
      context.progress(`history: service, ${connections} connections`);
      const service = await measurePages(context.serviceUrl);
      context.progress('history: baseline (bare node:http + one indexed SELECT)');
      const baseline = await measurePages(baselineServer.url);
      return [
        {
          name: this.name,
          target: 'history',
          value: service.okPerSecond,
          unit: 'pages/s',
          p50Ms: service.p50Ms,
          p99Ms: service.p99Ms,
          baseline: baseline.okPerSecond,
          baselineP99Ms: baseline.p99Ms,
          details: [
            `history: ${service.ok} pages at random depths of ${this.chatIds.length} chats of ` +
              `${context.sizes.historyMessagesPerChat.toLocaleString('en-US')} messages; ` +
              `baseline p50 ${baseline.p50Ms.toFixed(2)} ms, p99 ${baseline.p99Ms.toFixed(2)} ms`,
          ],
          problems: [...problems, ...loadProblems('service', service), ...loadProblems('baseline', baseline)],
        },
      ];
    } finally {
      await baselineServer.stop();
    }
  }

  async stop(): Promise<void> {}

  /** Full pages at uniformly random depths, the same sequence for the service and its baseline. */
  private pages(context: BenchContext): () => LoadRequest {
    const random = seededRandom(42);
    const depths = context.sizes.historyMessagesPerChat - PAGE_SIZE + 1;
    return () => {
      const chatId = this.chatIds[Math.floor(random() * this.chatIds.length)];
      const before = PAGE_SIZE + 1 + Math.floor(random() * depths);
      return this.pageRequest(chatId, before);
    };
  }

  private pageRequest(chatId: string, before: number): LoadRequest {
    return {
      method: 'GET',
      path: `/chats/${chatId}/messages?limit=${PAGE_SIZE}&before=${before}`,
      headers: { authorization: `Bearer ${this.operatorToken}` },
    };
  }

  /** The baseline must answer the very page the service does, or the ratio compares different work. */
  private async checkSamePage(serviceUrl: string, baselineUrl: string): Promise<string[]> {
    const { path, headers } = this.pageRequest(this.chatIds[0], PAGE_SIZE + 1);
    const [service, baseline] = await Promise.all(
      [serviceUrl, baselineUrl].map(
        async (url) => (await (await fetch(url + path, { headers })).json()) as MessagePage,
      ),
    );
    const ids = (page: MessagePage) => page.items?.map((message) => message.id).join(',');
    if (service.items?.length !== PAGE_SIZE) return [`the service answered ${JSON.stringify(service).slice(0, 200)}`];
    return ids(service) === ids(baseline) ? [] : ['the baseline and the service answered different pages'];
  }
}
