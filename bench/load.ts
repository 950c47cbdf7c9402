import autocannon from 'autocannon';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** Run for this long… */
  seconds?: number;
  /** …or until this many requests are answered. */
  amount?: number;
  /** Builds each request: called once per request, so bodies, ids and signatures can differ. */
  nextRequest(): LoadRequest;
  /** Sees every answer's status and body (collecting bodies costs the load generator some CPU). */
  onAnswer?(status: number, body: string): void;
}

export interface LoadResult {
  /** Requests built; those not answered were in flight when the load stopped. */
  sent: number;
  answered: number;
  ok: number;
  /** Answers outside 2xx, by status. */
  failures: Record<string, number>;
  /** Connection errors and timeouts. */
  errors: number;
  seconds: number;
  okPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Closed-loop load over loopback with autocannon (each connection sends its next request when the
 * previous one is answered). Latencies are kept at full precision: autocannon's own histogram
 * rounds to whole milliseconds, too coarse for single-digit targets.
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let sent = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        ...(options.amount ? { amount: options.amount } : { duration: options.seconds ?? 1 }),
        requests: [
          {
            setupRequest: (request) => {
              sent++;
              return { ...request, ...options.nextRequest() };
            },
            ...(options.onAnswer
              ? { onResponse: (status: number, body: string) => options.onAnswer!(status, body) }
              : {}),
          },
        ],
      },
      (error: Error | null, result: autocannon.Result) => {
        if (error) return reject(error);
        resolve(summarise(result, sent, latencies, statuses));
      },
    );
    instance.on('response', (_client, status: number, _bytes, responseTimeMs: number) => {
      latencies.push(responseTimeMs);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
  });
}

/** Sends `warmUpRequests` unmeasured requests first, so the JIT, the pools and the caches are warm on both sides. */
export async function runWarmLoad(options: LoadOptions, warmUpRequests: number): Promise<LoadResult> {
  await runLoad({ ...options, seconds: undefined, amount: warmUpRequests });
  return runLoad(options);
}

function summarise(
  result: autocannon.Result,
  sent: number,
  latencies: number[],
  statuses: Map<number, number>,
): LoadResult {
  latencies.sort((a, b) => a - b);
  const failures = Object.fromEntries([...statuses].filter(([status]) => status < 200 || status >= 300));
  const answered = latencies.length;
  const ok = answered - Object.values(failures).reduce((sum, count) => sum + count, 0);
  return {
    sent,
    answered,
    ok,
    failures,
    errors: result.errors,
    seconds: result.duration,
    okPerSecond: ok / result.duration,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}

/** Refused requests and connection errors, as correctness problems of `phase`. */
export function loadProblems(phase: string, load: LoadResult): string[] {
  const problems = Object.entries(load.failures).map(([status, count]) => `${phase}: ${count} answers ${status}`);
  if (load.errors > 0) problems.push(`${phase}: ${load.errors} connection errors or timeouts`);
  return problems;
}

/** The nearest-rank percentile of sorted values; NaN when there are none. */
export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}
