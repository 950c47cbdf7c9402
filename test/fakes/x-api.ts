import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ProviderHttpOptions } from '../../src/common/http/provider-http-options';
import { ChannelContext } from '../../src/messaging/contracts/channel-context';
import { ProviderStateStore } from '../../src/messaging/contracts/provider-state-store';
import { XAccessTokens } from '../../src/providers/x/x.access-tokens';
import type { XDmEvent, XMedia, XUser } from '../../src/providers/x/x.api.types';
import { XClient } from '../../src/providers/x/x.client';
import { XSettings } from '../../src/providers/x/x.settings.dto';
import { FakeResponse, RecordedRequest } from '../support/fake-receiver';

export interface FakeXApiOptions {
  /** The authenticated account (GET /2/users/me). */
  me: XUser;
  clientId: string;
  /** Set for a confidential client: refreshes must then use HTTP Basic auth. */
  clientSecret?: string;
  /** Access tokens X currently accepts. */
  accessTokens: string[];
  refreshToken: string;
  /** The first event id this fake hands out. */
  firstEventId?: bigint;
}

type Handler = (request: RecordedRequest, params: string[]) => FakeResponse;

const PROBLEM = { 'content-type': 'application/problem+json' };
const DEFAULT_EVENT_FIELDS = ['id', 'event_type', 'text'];

function problem(status: number, title: string, detail: string, type = 'about:blank'): FakeResponse {
  return { status, headers: PROBLEM, body: { title, detail, type, status } };
}

/**
 * The X API v2 as this service uses it, on 127.0.0.1: OAuth 2.0 refresh with rotating refresh
 * tokens, bearer checks (401 problem details), GET /2/dm_events newest first with
 * `pagination_token`, field selection and expansions, users, sending DMs (201, and the sent DM
 * appears among the account's events), 429 with `x-rate-limit-reset`, and public media files.
 */
export class FakeXApi {
  readonly requests: RecordedRequest[] = [];
  readonly users = new Map<string, XUser>();
  /** Expiry announced for newly issued access tokens. */
  expiresInSeconds = 7200;
  /** When set, every request for an older page (with a pagination_token) gets this answer. */
  olderPagesAnswer?: FakeResponse;
  private readonly events: XDmEvent[] = [];
  private readonly media = new Map<string, XMedia & { bytes: Buffer }>();
  private readonly accessTokens: Set<string>;
  private refreshToken: string;
  private issued = 0;
  private nextEventId: bigint;
  private readonly queued = new Map<string, FakeResponse[]>();
  private readonly routes: [string, RegExp, Handler][] = [
    ['POST', /^\/2\/oauth2\/token$/, (request) => this.token(request)],
    ['GET', /^\/2\/users\/me$/, () => this.user(this.options.me.id)],
    ['GET', /^\/2\/users\/(\d+)$/, (_request, [id]) => this.user(id)],
    ['GET', /^\/2\/dm_events$/, (request) => this.dmEvents(request)],
    ['POST', /^\/2\/dm_conversations\/with\/(\d+)\/messages$/, (request, [id]) => this.sendTo(request, id)],
    ['POST', /^\/2\/dm_conversations\/(\d+)\/messages$/, (request, [id]) => this.sendInto(request, id)],
    ['GET', /^\/media\/(.+)$/, (_request, [name]) => this.mediaFile(name)],
  ];
  private server?: Server;

  private constructor(private readonly options: FakeXApiOptions) {
    this.accessTokens = new Set(options.accessTokens);
    this.refreshToken = options.refreshToken;
    this.nextEventId = options.firstEventId ?? 1803456789012345678n;
    this.users.set(options.me.id, options.me);
  }

  static async start(options: FakeXApiOptions): Promise<FakeXApi> {
    const fake = new FakeXApi(options);
    fake.server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => fake.server!.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** The refresh token X accepts now (each refresh replaces it). */
  get currentRefreshToken(): string {
    return this.refreshToken;
  }

  received(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && request.path === path);
  }

  /** The events a user sent, oldest first. */
  eventsFrom(userId: string): XDmEvent[] {
    return this.events.filter((event) => event.sender_id === userId);
  }

  /** One-off answers for a path, before its normal route (e.g. a 429, then normal service). */
  queue(method: string, path: string, ...responses: FakeResponse[]): void {
    this.queued.set(`${method} ${path}`, [...(this.queued.get(`${method} ${path}`) ?? []), ...responses]);
  }

  /** A 429 as X sends it, with the window resetting at `resetAt` (epoch seconds). */
  rateLimitNext(method: string, path: string, resetAt: number): void {
    this.queue(method, path, {
      ...problem(429, 'Too Many Requests', 'Too Many Requests'),
      headers: {
        ...PROBLEM,
        'x-rate-limit-limit': '200',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(resetAt),
      },
    });
  }

  /** Every access token issued so far stops working, as after a revocation or expiry. */
  expireAccessTokens(): void {
    this.accessTokens.clear();
  }

  /** A customer's direct message to the account; resolves with its event. */
  customerWrites(from: XUser, text: string, photo?: { name: string; bytes: Buffer }): XDmEvent {
    this.users.set(from.id, from);
    const event: XDmEvent = {
      id: this.newEventId(),
      event_type: 'MessageCreate',
      text,
      sender_id: from.id,
      dm_conversation_id: oneToOne(from.id, this.options.me.id),
      created_at: new Date().toISOString(),
      participant_ids: [from.id, this.options.me.id],
    };
    if (photo) {
      const mediaKey = `3_${event.id}`;
      this.media.set(mediaKey, {
        media_key: mediaKey,
        type: 'photo',
        url: `${this.url}/media/${photo.name}`,
        ...photo,
      });
      event.attachments = { media_keys: [mediaKey] };
    }
    this.events.push(event);
    return event;
  }

  private newEventId(): string {
    const id = this.nextEventId;
    this.nextEventId += 1000n;
    return id.toString();
  }

  private token(request: RecordedRequest): FakeResponse {
    const form = new URLSearchParams(request.rawBody.toString('utf8'));
    const { clientId, clientSecret } = this.options;
    if (clientSecret) {
      const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
      if (request.headers.authorization !== basic) {
        return {
          status: 401,
          body: { error: 'unauthorized_client', error_description: 'Missing valid authorization header' },
        };
      }
    } else if (form.get('client_id') !== clientId) {
      return {
        status: 400,
        body: { error: 'invalid_request', error_description: 'Missing required parameter [client_id].' },
      };
    }
    if (form.get('grant_type') !== 'refresh_token') {
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' } };
    }
    if (form.get('refresh_token') !== this.refreshToken) {
      return {
        status: 400,
        body: { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' },
      };
    }
    this.issued++;
    const accessToken = `x-access-token-${this.issued}-VGhpcy1pcy1hLWZha2U`;
    this.refreshToken = `x-refresh-token-${this.issued}-bWRWa3gzdnk3WHRG`;
    this.accessTokens.add(accessToken);
    return {
      status: 200,
      body: {
        token_type: 'bearer',
        expires_in: this.expiresInSeconds,
        access_token: accessToken,
        scope: 'tweet.read users.read dm.read dm.write offline.access',
        refresh_token: this.refreshToken,
      },
    };
  }

  private user(id: string): FakeResponse {
    const user = this.users.get(id);
    if (user) return { status: 200, body: { data: user } };
    return {
      status: 200,
      body: {
        errors: [
          {
            value: id,
            detail: `Could not find user with id: [${id}].`,
            title: 'Not Found Error',
            resource_type: 'user',
            parameter: 'id',
            resource_id: id,
            type: 'https://api.x.com/2/problems/resource-not-found',
          },
        ],
      },
    };
  }

  private dmEvents(request: RecordedRequest): FakeResponse {
    const maxResults = Number(request.query.get('max_results') ?? 100);
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) {
      return problem(
        400,
        'Invalid Request',
        'The `max_results` query parameter value is not between 1 and 100',
        'https://api.x.com/2/problems/invalid-request',
      );
    }
    const paginationToken = request.query.get('pagination_token');
    if (paginationToken && this.olderPagesAnswer) return this.olderPagesAnswer;
    const types = request.query.get('event_types')?.split(',');
    const before = paginationToken ? BigInt(Buffer.from(paginationToken, 'base64url').toString('utf8')) : undefined;
    const matching = [...this.events]
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
      .filter(
        (event) => (!types || types.includes(event.event_type!)) && (before === undefined || BigInt(event.id) < before),
      );
    const page = matching.slice(0, maxResults);
    const more = matching.length > maxResults;
    const fields = [...DEFAULT_EVENT_FIELDS, ...(request.query.get('dm_event.fields')?.split(',') ?? [])];
    const expansions = request.query.get('expansions')?.split(',') ?? [];
    const senders = [...new Set(page.map((event) => event.sender_id!))].map((id) => this.users.get(id)!);
    const media = page.flatMap((event) => event.attachments?.media_keys ?? []).map((key) => this.media.get(key)!);
    const body: Record<string, unknown> = {
      meta: {
        result_count: page.length,
        ...(more ? { next_token: Buffer.from(page[page.length - 1].id).toString('base64url') } : {}),
      },
    };
    if (page.length > 0) body.data = page.map((event) => pick(event, fields));
    const includes: Record<string, unknown> = {};
    if (expansions.includes('sender_id') && senders.length > 0) includes.users = senders;
    if (expansions.includes('attachments.media_keys') && media.length > 0) {
      includes.media = media.map(({ media_key, type, url }) => ({ media_key, type, url }));
    }
    if (Object.keys(includes).length > 0) body.includes = includes;
    return { status: 200, body };
  }

  private sendTo(request: RecordedRequest, participantId: string): FakeResponse {
    const text: unknown = request.json()?.text;
    if (typeof text !== 'string' || text.length === 0) return invalidRequest();
    if (!this.users.has(participantId)) {
      return problem(
        403,
        'Forbidden',
        'You are not permitted to send a message to this user.',
        'https://api.x.com/2/problems/not-authorized-for-resource',
      );
    }
    return this.recordOwnMessage(oneToOne(participantId, this.options.me.id), text);
  }

  /** The sent DM answers 201 and shows up among the account's events, as on X. */
  private recordOwnMessage(conversationId: string, text: string): FakeResponse {
    const event: XDmEvent = {
      id: this.newEventId(),
      event_type: 'MessageCreate',
      text,
      sender_id: this.options.me.id,
      dm_conversation_id: conversationId,
      created_at: new Date().toISOString(),
    };
    this.events.push(event);
    return { status: 201, body: { data: { dm_conversation_id: conversationId, dm_event_id: event.id } } };
  }

  /** A group conversation the account belongs to. */
  private sendInto(request: RecordedRequest, conversationId: string): FakeResponse {
    const text: unknown = request.json()?.text;
    if (typeof text !== 'string' || text.length === 0) return invalidRequest();
    return this.recordOwnMessage(conversationId, text);
  }

  private mediaFile(name: string): FakeResponse {
    const file = [...this.media.values()].find((item) => item.url?.endsWith(`/media/${name}`));
    if (!file) return { status: 404, body: Buffer.from('Not Found') };
    return { status: 200, body: file.bytes, headers: { 'content-type': 'image/jpeg' } };
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
    const response = this.answer(recorded);
    const isBinary = Buffer.isBuffer(response.body);
    res.writeHead(response.status, {
      'content-type': isBinary ? 'application/octet-stream' : 'application/json',
      ...response.headers,
    });
    res.end(isBinary ? response.body : response.body === undefined ? '' : JSON.stringify(response.body));
  }

  private answer(request: RecordedRequest): FakeResponse {
    const queued = this.queued.get(`${request.method} ${request.path}`)?.shift();
    if (queued) return queued;
    for (const [method, pattern, handler] of this.routes) {
      const match = request.method === method ? pattern.exec(request.path) : null;
      if (!match) continue;
      const isPublic = request.path === '/2/oauth2/token' || request.path.startsWith('/media/');
      if (!isPublic && !this.isAuthorized(request)) return problem(401, 'Unauthorized', 'Unauthorized');
      return handler(request, match.slice(1));
    }
    return problem(404, 'Not Found Error', `No route for ${request.method} ${request.path}`);
  }

  private isAuthorized(request: RecordedRequest): boolean {
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    return scheme === 'Bearer' && this.accessTokens.has(token);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** One-to-one conversation ids: `<smaller id>-<larger id>`. */
function oneToOne(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? `${a}-${b}` : `${b}-${a}`;
}

function invalidRequest(): FakeResponse {
  return problem(
    400,
    'Invalid Request',
    'One or more parameters to your request was invalid.',
    'https://api.x.com/2/problems/invalid-request',
  );
}

function pick(event: XDmEvent, fields: string[]): Partial<XDmEvent> {
  return Object.fromEntries(Object.entries(event).filter(([key]) => fields.includes(key)));
}

/**
 * ProviderStateStore's secret half in memory (stored as given), for the X provider's medium specs;
 * its exclusive lock holds within one process: callers run one after another.
 */
export class InMemoryProviderState {
  readonly secrets = new Map<string, { value: string; expiresAt: Date | null }>();
  private tail: Promise<unknown> = Promise.resolve();

  async getSecret(channelId: string, key: string): Promise<string | undefined> {
    const entry = this.secrets.get(`${channelId}/${key}`);
    return entry && (!entry.expiresAt || entry.expiresAt.getTime() > Date.now()) ? entry.value : undefined;
  }

  async setSecret(channelId: string, key: string, value: string, expiresAt: Date | null = null): Promise<void> {
    this.secrets.set(`${channelId}/${key}`, { value, expiresAt });
  }

  withExclusiveLock<T>(_channelId: string, _key: string, work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export const X_ACCOUNT: XUser = { id: '1587654321098765432', name: 'Acme Support', username: 'AcmeSupport' };
export const X_CLIENT_ID = 'M1M5R3BMVy13QmpScXkzTUt5OE46MTpjaQ';
export const X_INITIAL_ACCESS_TOKEN = 'x-initial-access-token-QUNDRVNTLTA';
export const X_INITIAL_REFRESH_TOKEN = 'x-initial-refresh-token-UkVGUkVTSC0w';

/** The X provider's classes wired to a FakeXApi, with provider state and the refresh lock in memory. */
export interface XProviderStack {
  api: FakeXApi;
  client: XClient;
  state: InMemoryProviderState;
  tokens: XAccessTokens;
  channel(settings?: Partial<XSettings>): ChannelContext<XSettings>;
}

export async function startXProviderStack(options: Partial<FakeXApiOptions> = {}): Promise<XProviderStack> {
  const api = await FakeXApi.start({
    me: X_ACCOUNT,
    clientId: X_CLIENT_ID,
    accessTokens: [X_INITIAL_ACCESS_TOKEN],
    refreshToken: X_INITIAL_REFRESH_TOKEN,
    ...options,
  });
  const httpOptions = new ProviderHttpOptions({
    timeoutMs: 1000,
    maxDownloadBytes: 1024 * 1024,
    allowPrivateNetwork: false,
  });
  const client = new XClient(new HttpService(axios.create()), httpOptions);
  const state = new InMemoryProviderState();
  const tokens = new XAccessTokens(client, state as unknown as ProviderStateStore);
  const channel = (settings: Partial<XSettings> = {}): ChannelContext<XSettings> => ({
    id: '7d0c3a52-93a1-4b8e-9f4e-2f6f3c1d8a10',
    name: 'Acme on X',
    provider: 'x',
    source: X_ACCOUNT.id,
    settings: {
      clientId: X_CLIENT_ID,
      refreshToken: X_INITIAL_REFRESH_TOKEN,
      accessToken: X_INITIAL_ACCESS_TOKEN,
      apiBaseUrl: api.url,
      pollIntervalSeconds: 30,
      pageSize: 50,
      ...settings,
    },
    webhookUrl: 'https://chat.example.com/webhooks/7d0c3a52-93a1-4b8e-9f4e-2f6f3c1d8a10',
  });
  return { api, client, state, tokens, channel };
}
