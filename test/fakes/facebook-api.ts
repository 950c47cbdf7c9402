import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export const GRAPH_VERSION = 'v25.0';

/** One request the fake received, Graph or CDN. */
export interface GraphApiCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: any;
  receivedAt: number;
  /** What the fake answered (JSON answers only). */
  response?: any;
}

/** The `error` object of a Graph API failure. */
export interface GraphErrorBody {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  fbtrace_id: string;
  is_transient?: boolean;
}

export interface GraphFailure {
  status: number;
  error: Omit<GraphErrorBody, 'fbtrace_id'>;
  headers?: Record<string, string>;
}

/** JSON as Meta sends it: every non-ASCII character escaped as \uXXXX with lowercase hex. */
export function metaJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Meta's own answers, as the Messenger error-code reference and the Graph rate-limit page show them. */
export const GRAPH_ERRORS = {
  invalidToken: {
    status: 400,
    error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190 },
  },
  outsideWindow: {
    status: 400,
    error: {
      message:
        '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview',
      type: 'OAuthException',
      code: 10,
      error_subcode: 2018278,
    },
  },
  noMatchingUser: {
    status: 400,
    error: { message: '(#100) No matching user found', type: 'OAuthException', code: 100, error_subcode: 2018001 },
  },
  throttled: {
    status: 400,
    error: { message: '(#613) Calls to this api have exceeded the rate limit.', type: 'OAuthException', code: 613 },
  },
  temporary: {
    status: 500,
    error: {
      message: 'An unexpected error has occurred. Please retry your request later.',
      type: 'OAuthException',
      code: 2,
      is_transient: true,
    },
  },
} satisfies Record<string, GraphFailure>;

interface FakeUser {
  first_name: string;
  last_name: string;
  profile_pic?: string;
}

interface CdnFile {
  content: Buffer;
  contentType: string;
}

type Answer = { status: number; json: unknown; headers?: Record<string, string> } | { status: number; file: CdnFile };

/**
 * graph.facebook.com and its CDN on 127.0.0.1. Graph paths live under `/<version>/`, take the
 * Page token as `Authorization: Bearer` or `access_token`, and fail with Graph's error envelope
 * (HTTP 400 + `error.code`, throttling included). CDN links (`/cdn/…`) need no token, like
 * Meta's signed scontent/lookaside URLs.
 */
export class FacebookFakeApi {
  readonly calls: GraphApiCall[] = [];
  readonly page = { id: '106540352242922', name: 'Acme Outdoor' };
  private readonly users = new Map<string, FakeUser>();
  private readonly cdn = new Map<string, CdnFile>();
  private readonly outsideWindow = new Set<string>();
  private readonly sendFailures: GraphFailure[] = [];
  private tokenRevoked = false;
  private server?: Server;

  private constructor(private readonly pageAccessToken: string) {}

  static async start(pageAccessToken: string): Promise<FacebookFakeApi> {
    const fake = new FacebookFakeApi(pageAccessToken);
    fake.server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => fake.server!.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** A person who has messaged the Page: the Send API and the User Profile API know the PSID. */
  addUser(psid: string, firstName: string, lastName: string, picture?: Buffer): void {
    const profilePic = picture ? this.addCdnFile(`platform/profilepic/${psid}.jpg`, picture, 'image/jpeg') : undefined;
    this.users.set(psid, { first_name: firstName, last_name: lastName, profile_pic: profilePic });
  }

  /** Serves bytes at a signed-looking CDN URL, as `payload.url` of an attachment carries it. */
  addCdnFile(name: string, content: Buffer, contentType: string): string {
    this.cdn.set(`/cdn/${name}`, { content, contentType });
    return `${this.url}/cdn/${name}?_nc_cat=101&ccb=1-7&oh=00_AYB-fake&oe=66A1B2C3`;
  }

  /** The person's last message is older than 24 hours: sends to them fail with 10/2018278. */
  closeWindow(psid: string): void {
    this.outsideWindow.add(psid);
  }

  /** The next Send API calls fail with these, in order. */
  failNextSends(...failures: GraphFailure[]): void {
    this.sendFailures.push(...failures);
  }

  /** The Page token stops working (a Page admin removed the app, or changed their password); or works again. */
  revokeToken(revoked = true): void {
    this.tokenRevoked = revoked;
  }

  /** Requests to one path, in order. */
  callsTo(method: string, path: string): GraphApiCall[] {
    return this.calls.filter((call) => call.method === method && call.path === path);
  }

  /** Send API calls (`POST /<version>/me/messages`). */
  sends(): GraphApiCall[] {
    return this.callsTo('POST', `/${GRAPH_VERSION}/me/messages`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = Buffer.concat(chunks).toString('utf8');
    const call: GraphApiCall = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: raw ? JSON.parse(raw) : undefined,
      receivedAt: Date.now(),
    };
    this.calls.push(call);
    const answer = this.answer(call);
    if ('json' in answer) call.response = answer.json;
    if ('file' in answer) {
      res.writeHead(answer.status, { 'content-type': answer.file.contentType }).end(answer.file.content);
    } else {
      res
        .writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8', ...answer.headers })
        .end(JSON.stringify(answer.json));
    }
  }

  private answer(call: GraphApiCall): Answer {
    const file = this.cdn.get(call.path);
    if (call.path.startsWith('/cdn/')) return file ? { status: 200, file } : { status: 404, json: 'Not Found' };
    const prefix = `/${GRAPH_VERSION}/`;
    if (!call.path.startsWith(prefix)) {
      return graphError({
        status: 400,
        error: { message: `Unknown path components: ${call.path}`, type: 'OAuthException', code: 2500 },
      });
    }
    const tokenProblem = this.tokenProblem(call);
    if (tokenProblem) return graphError(tokenProblem);
    const node = call.path.slice(prefix.length);
    if (call.method === 'GET' && node === 'me') return { status: 200, json: this.page };
    if (call.method === 'POST' && node === `${this.page.id}/subscribed_apps`)
      return { status: 200, json: { success: true } };
    if (call.method === 'POST' && (node === 'me/messages' || node === `${this.page.id}/messages`)) {
      return this.send(call.body);
    }
    if (call.method === 'GET' && this.users.has(node))
      return { status: 200, json: { ...this.users.get(node), id: node } };
    return graphError({
      status: 400,
      error: {
        message: `Unsupported get request. Object with ID '${node}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
        type: 'GraphMethodException',
        code: 100,
        error_subcode: 33,
      },
    });
  }

  private tokenProblem(call: GraphApiCall): GraphFailure | undefined {
    const bearer = /^Bearer (.+)$/.exec(call.headers.authorization ?? '')?.[1];
    const token = bearer ?? call.query.get('access_token');
    if (!token) {
      return {
        status: 400,
        error: {
          message: 'An active access token must be used to query information about the current user.',
          type: 'OAuthException',
          code: 2500,
        },
      };
    }
    return token === this.pageAccessToken && !this.tokenRevoked ? undefined : GRAPH_ERRORS.invalidToken;
  }

  private send(body: any): Answer {
    const failure = this.sendFailures.shift();
    if (failure) return graphError(failure);
    const problem = sendRequestProblem(body);
    if (problem) {
      return graphError({ status: 400, error: { message: `(#100) ${problem}`, type: 'OAuthException', code: 100 } });
    }
    const psid: string = body.recipient.id;
    if (!this.users.has(psid)) return graphError(GRAPH_ERRORS.noMatchingUser);
    if (this.outsideWindow.has(psid)) return graphError(GRAPH_ERRORS.outsideWindow);
    return { status: 200, json: { recipient_id: psid, message_id: `m_${randomBytes(24).toString('base64url')}` } };
  }
}

/** What the Send API refuses in a request body, in its own words. */
function sendRequestProblem(body: any): string | undefined {
  if (typeof body?.recipient?.id !== 'string') return 'param recipient must be non-empty.';
  if (!['RESPONSE', 'UPDATE', 'MESSAGE_TAG'].includes(body.messaging_type)) {
    return 'param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}';
  }
  const message = body.message;
  if (typeof message !== 'object' || message === null) return 'param message must be non-empty.';
  if ((message.text === undefined) === (message.attachment === undefined)) {
    return 'Must send either text or attachment, not both';
  }
  if (message.text !== undefined && (typeof message.text !== 'string' || message.text.length > 2000)) {
    return 'param message[text] must be a UTF-8 encoded string of at most 2000 characters';
  }
  const attachment = message.attachment;
  if (attachment && !['image', 'audio', 'video', 'file', 'template'].includes(attachment.type)) {
    return 'param message[attachment][type] must be one of {image, audio, video, file, template}';
  }
  if (attachment && typeof attachment.payload?.url !== 'string') return 'param message[attachment][payload] is invalid';
  return undefined;
}

function graphError({ status, error, headers }: GraphFailure): Answer {
  return { status, headers, json: { error: { ...error, fbtrace_id: `A${randomBytes(8).toString('hex')}` } } };
}
