import { AdminApi } from '../admin-api';
import { startBaseline } from '../baselines/baseline-server';
import { LoadRequest, LoadResult, loadProblems, runWarmLoad } from '../load';
import { seededRandom } from '../pseudo-random';
import { BenchContext, Measurement, Scenario } from '../scenario';
import { ChatSeed, insertChats, insertConversations } from '../seed';

/** One open chat in ten waits unassigned in a queue; the rest are assigned to an operator. */
const WAITING_EVERY = 10;
const ENDPOINTS = [
  { name: 'agent_list', path: '/chats' },
  { name: 'agent_list_unread_chats', path: '/chats/unread-count' },
  { name: 'agent_list_unread_messages', path: '/messages/unread-count' },
];
const API_CONCURRENCY = 10;

interface Operator {
  id: string;
  token: string;
}

/**
 * What an agent's panel loads: the chat list and both unread counts, each asked by operators at
 * random, over `openChats` open chats shared by `operators` operators in `queues` queues. Each
 * endpoint's baseline is a bare `node:http` server answering the same operator with one SELECT.
 */
export class AgentListScenario implements Scenario {
  readonly name = 'agent_list';
  private operators: Operator[] = [];

  async prepare(context: BenchContext): Promise<void> {
    const { operators, queues, openChats } = context.sizes;
    context.progress(`agent_list: ${operators} operators and ${queues} queues through the admin API`);
    this.operators = await createOperators(context.admin, operators);
    const queueIds: string[] = [];
    for (let queue = 0; queue < queues; queue++) {
      const members = this.operators.filter((_, index) => index % queues === queue).map((operator) => operator.id);
      queueIds.push(await context.admin.createQueue(`Bench queue ${queue}`, members));
    }
    context.progress(`agent_list: seeding ${openChats.toLocaleString('en-US')} open chats`);
    const channel = await context.admin.registerChannel('Bench agents', 'webhook', {
      url: 'http://127.0.0.1:9/replies-unused',
      secret: 'agents-channel-secret',
    });
    const chatIds = await insertChats(context.db, channel.id, this.chatSeeds(openChats, queueIds));
    await insertConversations(context.db, channel.id, chatIds, 1);
  }

  async run(context: BenchContext): Promise<Measurement[]> {
    const operatorIdByToken = Object.fromEntries(this.operators.map((operator) => [operator.token, operator.id]));
    const baselineServer = await startBaseline('agent-page', context.databaseUrl, { operatorIdByToken });
    try {
      const measurements: Measurement[] = [];
      for (const endpoint of ENDPOINTS) {
        const { readConnections } = context.sizes;
        context.progress(
          `${endpoint.name}: GET ${endpoint.path}, service and baseline, ${readConnections} connections`,
        );
        const service = await this.load(context, context.serviceUrl, endpoint.path);
        const baseline = await this.load(context, baselineServer.url, endpoint.path);
        measurements.push(this.measurement(endpoint.name, service, baseline));
      }
      return measurements;
    } finally {
      await baselineServer.stop();
    }
  }

  async stop(): Promise<void> {}

  private chatSeeds(count: number, queueIds: string[]): ChatSeed[] {
    return Array.from({ length: count }, (_, index) => {
      const operatorIndex = index % this.operators.length;
      const waiting = index % WAITING_EVERY === WAITING_EVERY - 1;
      return {
        externalId: `agent-chat-${index}`,
        operatorId: waiting ? null : this.operators[operatorIndex].id,
        queueId: queueIds[operatorIndex % queueIds.length],
        status: waiting ? 'queued' : 'active',
        unreadCount: index % 3 === 0 ? (index % 7) + 1 : 0,
      };
    });
  }

  /** The same operators in the same order for the service and its baseline. */
  private load(context: BenchContext, url: string, path: string): Promise<LoadResult> {
    const random = seededRandom(7);
    const options = {
      url,
      connections: context.sizes.readConnections,
      seconds: context.sizes.loadSeconds,
      nextRequest: (): LoadRequest => {
        const operator = this.operators[Math.floor(random() * this.operators.length)];
        return { method: 'GET', path, headers: { authorization: `Bearer ${operator.token}` } };
      },
    };
    return runWarmLoad(options, context.sizes.warmUpRequests);
  }

  private measurement(name: string, service: LoadResult, baseline: LoadResult): Measurement {
    return {
      name,
      target: 'agent_list',
      value: service.okPerSecond,
      unit: 'req/s',
      p50Ms: service.p50Ms,
      p99Ms: service.p99Ms,
      baseline: baseline.okPerSecond,
      baselineP99Ms: baseline.p99Ms,
      details: [],
      problems: [...loadProblems(name, service), ...loadProblems(`${name} baseline`, baseline)],
    };
  }
}

async function createOperators(admin: AdminApi, count: number): Promise<Operator[]> {
  const operators: Operator[] = [];
  for (let first = 0; first < count; first += API_CONCURRENCY) {
    const batch = Array.from({ length: Math.min(API_CONCURRENCY, count - first) }, (_, offset) => first + offset);
    operators.push(
      ...(await Promise.all(
        batch.map((index) => admin.createOperator(`Agent ${index}`, `agent-${index}@bench.example`)),
      )),
    );
  }
  return operators;
}
