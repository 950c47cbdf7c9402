import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: Buffer;
  /** Date.now() when the request arrived. */
  receivedAt: number;
  json(): any;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (to exercise timeouts). */
  delayMs?: number;
}

type Route = (request: RecordedRequest) => FakeResponse;

/**
 * A real HTTP server on 127.0.0.1 standing in for a provider or a custom channel's receiver.
 * Routes answer by method and path; `queue` lines up one-off answers for a path (e.g. a 500 then a 200).
 */
export class FakeReceiver {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, Route>();
  private readonly queued = new Map<string, FakeResponse[]>();
  private server?: Server;

  static async start(): Promise<FakeReceiver> {
    const fake = new FakeReceiver();
    fake.server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => fake.server!.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  on(method: string, path: string, route: Route): this {
    this.routes.set(`${method} ${path}`, route);
    return this;
  }

  queue(method: string, path: string, ...responses: FakeResponse[]): this {
    this.queued.set(`${method} ${path}`, [...(this.queued.get(`${method} ${path}`) ?? []), ...responses]);
    return this;
  }

  received(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && request.path === path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      rawBody: Buffer.concat(chunks),
      receivedAt: Date.now(),
      json() {
        return JSON.parse(this.rawBody.toString('utf8'));
      },
    };
    this.requests.push(recorded);
    const key = `${recorded.method} ${recorded.path}`;
    const response = this.queued.get(key)?.shift() ??
      this.routes.get(key)?.(recorded) ?? { status: 404, body: { error: 'no such route' } };
    if (response.delayMs) await new Promise((resolve) => setTimeout(resolve, response.delayMs));
    if (res.destroyed) return;
    const isBinary = Buffer.isBuffer(response.body);
    res.writeHead(response.status, {
      'content-type': isBinary ? 'application/octet-stream' : 'application/json',
      ...response.headers,
    });
    res.end(isBinary ? response.body : response.body === undefined ? '' : JSON.stringify(response.body));
  }
}
