import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** One Bot API method call the fake received. */
export interface TelegramApiCall {
  method: string;
  body: Record<string, any>;
  receivedAt: number;
}

/** A Bot API error as Telegram sends it: `{ok:false, error_code, description, parameters?}` under the same HTTP status. */
export interface TelegramApiFailure {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

interface StoredFile {
  filePath: string;
  content: Buffer;
  contentType: string;
}

interface PhotoSize {
  file_id: string;
  file_unique_id: string;
  file_size: number;
  width: number;
  height: number;
}

type Answer = { status: number; body: unknown } | { status: number; file: StoredFile };

const NOT_FOUND: TelegramApiFailure = { error_code: 404, description: 'Not Found' };
const UNAUTHORIZED: TelegramApiFailure = { error_code: 401, description: 'Unauthorized' };
const WELL_FORMED_TOKEN = /^\d+:[A-Za-z0-9_-]{30,}$/;

/**
 * A Bot API server on 127.0.0.1 answering as api.telegram.org does: methods under
 * `/bot<token>/<method>` (JSON body or query string), files under `/file/bot<token>/<file_path>`,
 * 401 for a well-formed token it does not know and 404 for a malformed one, the real limits and
 * error descriptions, and any error lined up with `failNext`.
 */
export class TelegramFakeApi {
  readonly calls: TelegramApiCall[] = [];
  /** file_path of every file download, in order. */
  readonly downloads: string[] = [];
  readonly bot = {
    id: 7012345678,
    is_bot: true,
    first_name: 'Acme Support',
    username: 'acme_support_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  };
  private readonly files = new Map<string, StoredFile & { fileId: string }>();
  private readonly profilePhotos = new Map<number, PhotoSize[][]>();
  private readonly blockedBy = new Set<number>();
  private readonly failures = new Map<string, TelegramApiFailure[]>();
  private nextMessageId = 9000;
  private server?: Server;

  private constructor(private token: string) {}

  static async start(token: string): Promise<TelegramFakeApi> {
    const fake = new TelegramFakeApi(token);
    fake.server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => fake.server!.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** Bodies of the calls of one method, in order. */
  bodiesOf(method: string): Record<string, any>[] {
    return this.callsTo(method).map((call) => call.body);
  }

  callsTo(method: string): TelegramApiCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Makes a file downloadable by getFile + the file URL. */
  addFile(fileId: string, filePath: string, content: Buffer, contentType = 'application/octet-stream'): void {
    this.files.set(fileId, { fileId, filePath, content, contentType });
  }

  /** The user's profile photos, newest first, each in several sizes. */
  setProfilePhotos(userId: number, photos: PhotoSize[][]): void {
    this.profilePhotos.set(userId, photos);
  }

  /** From now on sending to this chat answers 403 "bot was blocked by the user". */
  blockBotIn(chatId: number): void {
    this.blockedBy.add(chatId);
  }

  /** The next calls of `method` fail with these errors, in order. */
  failNext(method: string, ...failures: TelegramApiFailure[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...failures]);
  }

  /** As if the token were revoked in BotFather: the old one gets 401 from now on. */
  revokeToken(): void {
    this.token = `${this.token}-revoked`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const answer = this.answer(url, Buffer.concat(chunks));
    if ('file' in answer) {
      res.writeHead(answer.status, { 'content-type': answer.file.contentType });
      res.end(answer.file.content);
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  }

  private answer(url: URL, rawBody: Buffer): Answer {
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return this.download(file[1], decodeURIComponent(file[2]));
    const call = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!call) return failure(NOT_FOUND);
    const [, token, method] = call;
    if (token !== this.token) return failure(WELL_FORMED_TOKEN.test(token) ? UNAUTHORIZED : NOT_FOUND);
    const body = { ...Object.fromEntries(url.searchParams), ...parseJson(rawBody) };
    this.calls.push({ method, body, receivedAt: Date.now() });
    const queued = this.failures.get(method)?.shift();
    if (queued) return failure(queued);
    return this.method(method.toLowerCase(), body);
  }

  private method(method: string, body: Record<string, any>): Answer {
    switch (method) {
      case 'getme':
        return ok(this.bot);
      case 'setwebhook':
        return this.setWebhook(body);
      case 'sendmessage':
        return this.sendMessage(body);
      case 'sendphoto':
        return this.sendMedia(body, 'photo');
      case 'senddocument':
        return this.sendMedia(body, 'document');
      case 'getfile':
        return this.getFile(body);
      case 'getuserprofilephotos':
        return this.getUserProfilePhotos(body);
      default:
        return failure(NOT_FOUND);
    }
  }

  private setWebhook(body: Record<string, any>): Answer {
    if (typeof body.url !== 'string') return badRequest('parameter "url" is required');
    if (body.url !== '' && !body.url.startsWith('https://')) {
      return badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    }
    if (body.secret_token !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(String(body.secret_token))) {
      return badRequest('secret token contains unallowed characters');
    }
    return { status: 200, body: { ok: true, result: true, description: 'Webhook was set' } };
  }

  private sendMessage(body: Record<string, any>): Answer {
    const refused = this.refuseChat(body.chat_id);
    if (refused) return refused;
    if (typeof body.text !== 'string' || body.text.trim() === '') return badRequest('message text is empty');
    if (body.text.length > 4096) return badRequest('message is too long');
    return ok({ ...this.sentMessage(body.chat_id), text: body.text });
  }

  private sendMedia(body: Record<string, any>, field: 'photo' | 'document'): Answer {
    const refused = this.refuseChat(body.chat_id);
    if (refused) return refused;
    if (typeof body[field] !== 'string' || body[field] === '') return badRequest(`there is no ${field} in the request`);
    if (typeof body.caption === 'string' && body.caption.length > 1024)
      return badRequest('message caption is too long');
    const media =
      field === 'photo'
        ? {
            photo: [
              { file_id: `sent-photo-${this.nextMessageId}`, file_unique_id: 'AQADsent', width: 320, height: 320 },
            ],
          }
        : { document: { file_id: `sent-doc-${this.nextMessageId}`, file_unique_id: 'AgADsent', file_name: 'file' } };
    return ok({ ...this.sentMessage(body.chat_id), ...media, ...(body.caption ? { caption: body.caption } : {}) });
  }

  private refuseChat(chatId: unknown): Answer | undefined {
    if (chatId === undefined || chatId === '') return badRequest('chat_id is empty');
    if (this.blockedBy.has(Number(chatId))) {
      return failure({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    }
    return undefined;
  }

  private sentMessage(chatId: unknown) {
    return {
      message_id: this.nextMessageId++,
      from: { id: this.bot.id, is_bot: true, first_name: this.bot.first_name, username: this.bot.username },
      chat: { id: Number(chatId), type: 'private' },
      date: Math.floor(Date.now() / 1000),
    };
  }

  private getFile(body: Record<string, any>): Answer {
    const file = this.files.get(String(body.file_id));
    if (!file) return badRequest('invalid file_id');
    return ok({
      file_id: file.fileId,
      file_unique_id: `unique-${file.fileId}`,
      file_size: file.content.length,
      file_path: file.filePath,
    });
  }

  private getUserProfilePhotos(body: Record<string, any>): Answer {
    if (body.user_id === undefined) return badRequest('user_id is empty');
    const photos = this.profilePhotos.get(Number(body.user_id)) ?? [];
    const offset = Number(body.offset ?? 0);
    const limit = Number(body.limit ?? 100);
    return ok({ total_count: photos.length, photos: photos.slice(offset, offset + limit) });
  }

  private download(token: string, filePath: string): Answer {
    if (token !== this.token) return failure(NOT_FOUND);
    this.downloads.push(filePath);
    const file = [...this.files.values()].find((stored) => stored.filePath === filePath);
    return file ? { status: 200, file } : failure(NOT_FOUND);
  }
}

function ok(result: unknown): Answer {
  return { status: 200, body: { ok: true, result } };
}

function badRequest(reason: string): Answer {
  return failure({ error_code: 400, description: `Bad Request: ${reason}` });
}

function failure(error: TelegramApiFailure): Answer {
  return { status: error.error_code, body: { ok: false, ...error } };
}

function parseJson(rawBody: Buffer): Record<string, unknown> {
  return rawBody.length === 0 ? {} : (JSON.parse(rawBody.toString('utf8')) as Record<string, unknown>);
}
