import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * Just enough of the Bot API on loopback to register a Telegram channel (getMe, setWebhook) and to
 * answer the profile lookups that new customers trigger (no profile photos).
 */
export class FakeTelegramApi {
  /** The secret_token the service gave setWebhook: Telegram echoes it on every update. */
  webhookSecretToken?: string;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeTelegramApi> {
    const server = createServer();
    const api = new FakeTelegramApi(server);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => api.handle(request, response));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((done) => this.server.close(done));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const method = /^\/bot[^/]+\/(\w+)$/.exec(request.url ?? '')?.[1] ?? '';
      const params = chunks.length
        ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
        : {};
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(this.answer(method, params)));
    });
  }

  private answer(method: string, params: Record<string, unknown>): unknown {
    switch (method) {
      case 'getMe':
        return { ok: true, result: { id: 7_000_001, is_bot: true, first_name: 'Bench bot', username: 'bench_bot' } };
      case 'setWebhook':
        this.webhookSecretToken = String(params.secret_token);
        return { ok: true, result: true };
      case 'getUserProfilePhotos':
        return { ok: true, result: { total_count: 0, photos: [] } };
      default:
        return { ok: false, error_code: 400, description: `the benchmark does not fake ${method}` };
    }
  }
}
