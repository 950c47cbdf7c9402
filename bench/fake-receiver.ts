import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { stableHash } from './pseudo-random';

/** Share of delivery attempts refused (half 429 with Retry-After: 1, half 500). */
const REFUSED_PERCENT = 10;

export interface DeliveryCounts {
  calls: number;
  rateLimited: number;
  serverErrors: number;
  badSignatures: number;
  /** Accepted deliveries per message id. */
  accepted: Map<string, number>;
  /** When each message was first accepted (performance.now()). */
  acceptedAt: Map<string, number>;
}

/**
 * A custom channel's receiver on loopback. Whether an attempt is refused depends only on the message
 * id and the attempt number (a hash), so every run refuses the same attempts whatever the order.
 */
export class FakeReceiver {
  readonly counts: DeliveryCounts = {
    calls: 0,
    rateLimited: 0,
    serverErrors: 0,
    badSignatures: 0,
    accepted: new Map(),
    acceptedAt: new Map(),
  };
  private readonly attempts = new Map<string, number>();
  private onAccepted?: () => void;

  private constructor(
    private readonly server: Server,
    private readonly secret: string,
  ) {}

  static async start(secret: string): Promise<FakeReceiver> {
    const server = createServer();
    const receiver = new FakeReceiver(server, secret);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => receiver.handle(request, response));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/outbound`;
  }

  /** Resolves once `count` distinct messages have been accepted, or after `timeoutMs`. */
  whenAccepted(count: number, timeoutMs: number): Promise<void> {
    return new Promise((done) => {
      const timer = setTimeout(done, timeoutMs);
      this.onAccepted = () => {
        if (this.counts.accepted.size < count) return;
        clearTimeout(timer);
        done();
      };
      this.onAccepted();
    });
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((done) => this.server.close(done));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      this.counts.calls++;
      if (!this.isSigned(request.headers['x-signature-256'], body)) {
        this.counts.badSignatures++;
        return answer(response, 401, { error: 'bad signature' });
      }
      const { messageId } = JSON.parse(body.toString('utf8')) as { messageId: string };
      this.answerDelivery(messageId, response);
    });
  }

  private answerDelivery(messageId: string, response: ServerResponse): void {
    const attempt = (this.attempts.get(messageId) ?? 0) + 1;
    this.attempts.set(messageId, attempt);
    const roll = stableHash(`${messageId}:${attempt}`);
    if (roll % 100 < REFUSED_PERCENT) {
      if (roll % 2 === 0) {
        this.counts.rateLimited++;
        return answer(response, 429, { error: 'slow down' }, { 'retry-after': '1' });
      }
      this.counts.serverErrors++;
      return answer(response, 500, { error: 'receiver hiccup' });
    }
    this.counts.accepted.set(messageId, (this.counts.accepted.get(messageId) ?? 0) + 1);
    if (!this.counts.acceptedAt.has(messageId)) this.counts.acceptedAt.set(messageId, performance.now());
    answer(response, 200, { id: `rcv-${messageId}` });
    this.onAccepted?.();
  }

  private isSigned(header: string | string[] | undefined, body: Buffer): boolean {
    const expected = `sha256=${createHmac('sha256', this.secret).update(body).digest('hex')}`;
    return (
      typeof header === 'string' &&
      header.length === expected.length &&
      timingSafeEqual(Buffer.from(header), Buffer.from(expected))
    );
  }
}

function answer(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
