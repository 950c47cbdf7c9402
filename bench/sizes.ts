/** How much data and load each scenario uses: the sizes, or tiny ones for the CI smoke. */
export interface BenchSizes {
  /** Seconds of each measured load. */
  loadSeconds: number;
  /** Unmeasured requests before each read load, to the service and to its baseline alike. */
  warmUpRequests: number;
  ingestConnections: number;
  /** Chats the ingest warm-up opens; the measured load writes into these or opens new ones. */
  ingestExistingChats: number;
  historyChats: number;
  historyMessagesPerChat: number;
  /**
   * Agents reading at once in the history and agent list scenarios, each asking again as soon as it
   * is answered: enough to keep 2 cores busy, few enough that p99 is not mostly queueing.
   */
  readConnections: number;
  operators: number;
  queues: number;
  openChats: number;
  drainChats: number;
  drainMessages: number;
  /** Longest wait for the drain to finish before it counts as lost messages. */
  drainTimeoutSeconds: number;
  /** How many times its rows `messages` holds for the growth figures (ingest_growth, drain_growth). */
  growthFactor: number;
}

export const FULL_SIZES: BenchSizes = {
  loadSeconds: 5,
  warmUpRequests: 500,
  ingestConnections: 50,
  ingestExistingChats: 1_000,
  historyChats: 10,
  historyMessagesPerChat: 100_000,
  readConnections: 4,
  operators: 200,
  queues: 10,
  openChats: 10_000,
  drainChats: 200,
  drainMessages: 10_000,
  drainTimeoutSeconds: 120,
  growthFactor: 10,
};

export const SMOKE_SIZES: BenchSizes = {
  loadSeconds: 1,
  warmUpRequests: 20,
  ingestConnections: 10,
  ingestExistingChats: 50,
  historyChats: 2,
  historyMessagesPerChat: 1_000,
  readConnections: 2,
  operators: 10,
  queues: 2,
  openChats: 200,
  drainChats: 10,
  drainMessages: 300,
  drainTimeoutSeconds: 30,
  growthFactor: 10,
};
