import { HttpService } from '@nestjs/axios';
import { Injectable } from '@nestjs/common';
import { AxiosResponse, isAxiosError } from 'axios';
import type { Readable } from 'node:stream';
import { firstValueFrom } from 'rxjs';
import { parseRetryAfter } from '../common/http/retry-after';
import { AppConfig } from '../config/app-config';
import { ProviderError } from '../messaging/contracts/provider-error';
import { WebhookDeliveryPolicy } from './webhook-delivery.policy';
import {
  ipLiteralOf,
  isPrivateAddress,
  PrivateNetworkRefusedError,
  publicOnlyLookup,
} from '../common/http/private-network';
import { signWebhook } from './webhook-signature';

export interface WebhookRequest {
  url: string;
  /** `webhook-id`: the same on every attempt of one delivery. */
  webhookId: string;
  body: string;
  signingKey: Buffer;
}

/**
 * A failed attempt, classified for the provider-failure policy the way Standard Webhooks asks
 * senders to act: 410 Gone means the receiver wants nothing more from us (the subscription is
 * paused, like a channel whose credentials are refused); 429 is a rate limit; anything else is
 * retried.
 */
export class WebhookReceiverError extends ProviderError {
  constructor(
    message: string,
    /** The receiver's HTTP status; null when it did not answer. */
    readonly statusCode: number | null,
    retryAfterMs?: number,
  ) {
    super(
      statusCode === 410 ? 'AUTH_FAILED' : statusCode === 429 ? 'RATE_LIMITED' : 'TEMPORARY',
      message,
      retryAfterMs,
    );
  }
}

const USER_AGENT = 'omnichannel-messaging-webhooks/1.0';
/** Enough of an error answer to tell a person what the receiver said. */
const ERROR_EXCERPT_CHARS = 300;
const ERROR_EXCERPT_WAIT_MS = 1_000;

/**
 * The only code that speaks HTTP to subscribers: one signed POST per attempt, following the
 * Standard Webhooks convention. 2xx is delivered; anything else, redirects included, is a failure.
 */
@Injectable()
export class WebhookEndpointClient {
  constructor(
    private readonly http: HttpService,
    private readonly config: AppConfig,
    private readonly policy: WebhookDeliveryPolicy,
  ) {}

  /** Resolves to the receiver's 2xx status; throws a {@link WebhookReceiverError} for anything else. */
  async post(request: WebhookRequest): Promise<number> {
    const timeoutMs = this.policy.requestTimeoutMs;
    let response: AxiosResponse<Readable>;
    try {
      response = await this.send(request, timeoutMs);
    } catch (error) {
      throw new WebhookReceiverError(describeFailure(error, timeoutMs), null);
    }
    const { status } = response;
    if (status >= 200 && status < 300) {
      response.data.destroy();
      return status;
    }
    const excerpt = await readExcerpt(response.data);
    throw new WebhookReceiverError(
      `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`,
      status,
      parseRetryAfter(response.headers['retry-after']),
    );
  }

  private async send(request: WebhookRequest, timeoutMs: number): Promise<AxiosResponse<Readable>> {
    const timestamp = Math.floor(Date.now() / 1000);
    const allowPrivate = this.config.env.ALLOW_PRIVATE_NETWORK_FETCH;
    const literal = ipLiteralOf(new URL(request.url).hostname);
    // Names are checked when they resolve (publicOnlyLookup); addresses never go through a lookup.
    if (!allowPrivate && literal && isPrivateAddress(literal)) throw new PrivateNetworkRefusedError(literal);
    return firstValueFrom(
      this.http.post<Readable>(request.url, request.body, {
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'webhook-id': request.webhookId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(request.signingKey, request.webhookId, timestamp, request.body),
        },
        // The body is signed as it is: nothing may re-serialize it.
        transformRequest: [(data: string) => data],
        responseType: 'stream',
        maxRedirects: 0,
        validateStatus: () => true,
        timeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
        ...(allowPrivate ? {} : { lookup: publicOnlyLookup }),
      }),
    );
  }
}

/** The start of an error answer's body, on one line; never waits long for a slow receiver. */
async function readExcerpt(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  const timer = setTimeout(() => stream.destroy(), ERROR_EXCERPT_WAIT_MS);
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length >= ERROR_EXCERPT_CHARS * 4) break;
    }
  } catch {
    // What arrived before the receiver stalled or dropped is enough.
  } finally {
    clearTimeout(timer);
    stream.destroy();
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim().slice(0, ERROR_EXCERPT_CHARS);
}

function describeFailure(error: unknown, timeoutMs: number): string {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof PrivateNetworkRefusedError) return cause.message;
  }
  if (isAxiosError(error)) {
    if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT' || error.code === 'ERR_CANCELED') {
      return `no answer within ${timeoutMs} ms`;
    }
    return `the request failed (${error.code ?? 'network error'}): ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
