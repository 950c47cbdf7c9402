import { createHash } from 'node:crypto';
import { FakeReceiver, FakeResponse, RecordedRequest } from '../support/fake-receiver';

export const GRAPH_VERSION = 'v25.0';
const LOOKASIDE_PATH = '/whatsapp_business/attachments/';

export interface FakeWhatsAppAccount {
  accessToken: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
  verifiedName: string;
}

interface FakeMedia {
  content: Buffer;
  mimeType: string;
}

/** A Graph API error answer, `{error: {message, type, code, error_data, fbtrace_id}}`, as WhatsApp sends it. */
export function graphError(
  code: number,
  message: string,
  options: { status?: number; details?: string; type?: string } = {},
): FakeResponse {
  return {
    status: options.status ?? 400,
    body: {
      error: {
        message,
        type: options.type ?? 'OAuthException',
        code,
        ...(options.details ? { error_data: { messaging_product: 'whatsapp', details: options.details } } : {}),
        fbtrace_id: `Fake-trace-${code}`,
      },
    },
  };
}

const INVALID_TOKEN = graphError(190, 'Invalid OAuth access token - Cannot parse access token', { status: 401 });

/**
 * The WhatsApp Cloud API on 127.0.0.1: the phone number lookup, `POST /<phone_number_id>/messages`,
 * `GET /<media_id>` and the lookaside media URLs. Every route wants `Authorization: Bearer <token>`
 * and answers Graph's 190 error without it; `queueSendAnswers` lines up errors for the next sends.
 */
export class FakeWhatsAppApi {
  private readonly media = new Map<string, FakeMedia>();
  private wamids = 0;

  private constructor(
    private readonly receiver: FakeReceiver,
    readonly account: FakeWhatsAppAccount,
  ) {}

  static async start(account: FakeWhatsAppAccount): Promise<FakeWhatsAppApi> {
    const api = new FakeWhatsAppApi(await FakeReceiver.start(), account);
    api.receiver
      .on('GET', api.phoneNumberPath, (request) => api.authorized(request, () => api.phoneNumber()))
      .on('POST', api.messagesPath, (request) => api.authorized(request, () => api.accept(request)))
      .on('GET', LOOKASIDE_PATH, (request) => api.authorized(request, () => api.download(request)));
    return api;
  }

  get url(): string {
    return this.receiver.url;
  }

  get phoneNumberPath(): string {
    return `/${GRAPH_VERSION}/${this.account.phoneNumberId}`;
  }

  get messagesPath(): string {
    return `${this.phoneNumberPath}/messages`;
  }

  mediaPath(mediaId: string): string {
    return `/${GRAPH_VERSION}/${mediaId}`;
  }

  /** Media a webhook will name by id: described by GET /<media_id>, served at its lookaside URL. */
  addMedia(mediaId: string, media: FakeMedia): void {
    this.media.set(mediaId, media);
    this.receiver.on('GET', this.mediaPath(mediaId), (request) =>
      this.authorized(request, () => this.describeMedia(mediaId, media)),
    );
  }

  /** Answers for the next POSTs to /messages, before the usual acceptance. */
  queueSendAnswers(...answers: FakeResponse[]): void {
    this.receiver.queue('POST', this.messagesPath, ...answers);
  }

  received(method: string, path: string): RecordedRequest[] {
    return this.receiver.received(method, path);
  }

  sends(): RecordedRequest[] {
    return this.received('POST', this.messagesPath);
  }

  downloads(): RecordedRequest[] {
    return this.received('GET', LOOKASIDE_PATH);
  }

  stop(): Promise<void> {
    return this.receiver.stop();
  }

  private authorized(request: RecordedRequest, answer: () => FakeResponse): FakeResponse {
    return request.headers.authorization === `Bearer ${this.account.accessToken}` ? answer() : INVALID_TOKEN;
  }

  private phoneNumber(): FakeResponse {
    const { displayPhoneNumber, verifiedName, phoneNumberId } = this.account;
    return {
      status: 200,
      body: { display_phone_number: displayPhoneNumber, verified_name: verifiedName, id: phoneNumberId },
    };
  }

  private accept(request: RecordedRequest): FakeResponse {
    const body = request.json();
    if (body.messaging_product !== 'whatsapp' || typeof body.to !== 'string' || !body[body.type]) {
      return graphError(100, '(#100) Invalid parameter');
    }
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: body.to, wa_id: body.to.replace(/^\+/, '') }],
        messages: [{ id: `wamid.FAKE${String(++this.wamids).padStart(6, '0')}` }],
      },
    };
  }

  private describeMedia(mediaId: string, media: FakeMedia): FakeResponse {
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        url: `${this.url}${LOOKASIDE_PATH}?mid=${mediaId}&ext=1750413961&hash=ATu-fake`,
        mime_type: media.mimeType,
        sha256: createHash('sha256').update(media.content).digest('base64'),
        file_size: String(media.content.length),
        id: mediaId,
      },
    };
  }

  private download(request: RecordedRequest): FakeResponse {
    const media = this.media.get(request.query.get('mid') ?? '');
    if (!media) return { status: 404, body: 'URL signature expired' };
    return { status: 200, body: media.content, headers: { 'content-type': media.mimeType } };
  }
}

/** A webhook body as Meta POSTs it: one entry per group of changes. */
export function whatsAppWebhook(...entries: unknown[][]): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: entries.map((changes) => ({ id: '102290129340398', changes })),
  };
}

/** One `messages` change of a phone number: contacts, messages and/or statuses. */
export function messagesChange(phoneNumberId: string, value: Record<string, unknown>): Record<string, unknown> {
  return {
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
      ...value,
    },
    field: 'messages',
  };
}
