import { HttpService } from '@nestjs/axios';
import { Injectable } from '@nestjs/common';
import { AxiosResponse, isAxiosError } from 'axios';
import { firstValueFrom, Observable } from 'rxjs';
import { decodeBody, downloadFile } from '../kits/http/file-download';
import { parseRetryAfter } from '../../common/http/retry-after';
import { classifyHttpFailure } from '../kits/http/provider-http-errors';
import { ProviderHttpOptions } from '../../common/http/provider-http-options';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { DownloadedFile } from '../../messaging/contracts/provider-workers';
import { XDmEventsPage, XErrorBody, XSentMessage, XTokenResponse, XUser } from './x.api.types';
import { XSettings } from './x.settings.dto';

const USER_FIELDS = 'name,username,profile_image_url';
/** What GET /2/dm_events asks for: customer messages with their senders and media. */
const DM_EVENTS_QUERY = {
  'dm_event.fields': 'id,text,event_type,dm_conversation_id,created_at,sender_id,attachments,participant_ids',
  event_types: 'MessageCreate',
  expansions: 'sender_id,attachments.media_keys',
  'user.fields': USER_FIELDS,
  'media.fields': 'url,type,media_key',
} as const;
/** Usage caps answer 429 too, but they last until the billing period ends: retrying is pointless. */
const USAGE_CAPPED_PROBLEM = /\/problems\/usage-capped$/;
/** `x-rate-limit-reset` has one-second precision; never come back sooner than this. */
const MIN_RATE_LIMIT_WAIT_MS = 1_000;

/** Who a direct message goes to: one person (1:1) or an existing group conversation. */
export type XMessageTarget = { participantId: string } | { conversationId: string };

/** The only place that speaks HTTP to the X API v2 (and downloads X media). */
@Injectable()
export class XClient {
  constructor(
    private readonly http: HttpService,
    private readonly httpOptions: ProviderHttpOptions,
  ) {}

  /** One page of the account's direct-message events, newest first. */
  async listDmEvents(settings: XSettings, accessToken: string, paginationToken?: string): Promise<XDmEventsPage> {
    const params = { ...DM_EVENTS_QUERY, max_results: settings.pageSize, pagination_token: paginationToken };
    const { data } = await this.call(() =>
      this.http.get<XDmEventsPage>(`${apiBase(settings)}/2/dm_events`, this.options(accessToken, { params })),
    );
    return data ?? {};
  }

  /** Sends a text direct message; resolves with its DM event id. */
  async sendDirectMessage(
    settings: XSettings,
    accessToken: string,
    target: XMessageTarget,
    text: string,
  ): Promise<string | null> {
    const path =
      'participantId' in target
        ? `/2/dm_conversations/with/${encodeURIComponent(target.participantId)}/messages`
        : `/2/dm_conversations/${encodeURIComponent(target.conversationId)}/messages`;
    const { data } = await this.call(() =>
      this.http.post<XSentMessage>(`${apiBase(settings)}${path}`, { text }, this.options(accessToken)),
    );
    return typeof data?.data?.dm_event_id === 'string' ? data.data.dm_event_id : null;
  }

  /** The authenticated user: GET /2/users/me. */
  async getMe(settings: XSettings, accessToken: string): Promise<XUser> {
    const user = await this.fetchUser(settings, accessToken, 'me');
    if (!user) throw new ProviderError('PERMANENT', 'X answered GET /2/users/me without a user');
    return user;
  }

  /** A user's public profile, or null when X does not know the id. */
  async getUser(settings: XSettings, accessToken: string, userId: string): Promise<XUser | null> {
    try {
      return await this.fetchUser(settings, accessToken, encodeURIComponent(userId));
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  /**
   * Exchanges a refresh token for new tokens (POST /2/oauth2/token). Confidential clients
   * authenticate with HTTP Basic; public clients name themselves with `client_id`.
   */
  async refreshAccessToken(settings: XSettings, refreshToken: string): Promise<XTokenResponse> {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (settings.clientSecret) {
      headers.authorization = `Basic ${Buffer.from(`${settings.clientId}:${settings.clientSecret}`).toString('base64')}`;
    } else {
      form.set('client_id', settings.clientId);
    }
    let response: AxiosResponse<XTokenResponse>;
    try {
      response = await firstValueFrom(
        this.http.post<XTokenResponse>(`${apiBase(settings)}/2/oauth2/token`, form.toString(), {
          headers,
          timeout: this.httpOptions.timeoutMs,
        }),
      );
    } catch (error) {
      throw refreshFailure(error);
    }
    if (typeof response.data?.access_token !== 'string') {
      throw new ProviderError('PERMANENT', 'X answered the token refresh without an access_token');
    }
    return response.data;
  }

  /** X media URLs (pbs.twimg.com) are public: no credentials are sent with them. */
  download(url: string): Promise<DownloadedFile> {
    return downloadFile(this.http, url, this.httpOptions, {
      reason: xErrorReason,
    });
  }

  private async fetchUser(settings: XSettings, accessToken: string, idOrMe: string): Promise<XUser | null> {
    const { data } = await this.call(() =>
      this.http.get<{ data?: XUser }>(
        `${apiBase(settings)}/2/users/${idOrMe}`,
        this.options(accessToken, { params: { 'user.fields': USER_FIELDS } }),
      ),
    );
    // An unknown id answers 200 with only `errors` (resource-not-found).
    return typeof data?.data?.id === 'string' ? data.data : null;
  }

  private options(accessToken: string, extra: { params?: Record<string, unknown> } = {}) {
    return {
      ...extra,
      headers: { authorization: `Bearer ${accessToken}` },
      timeout: this.httpOptions.timeoutMs,
    };
  }

  private async call<T>(request: () => Observable<T>): Promise<T> {
    try {
      return await firstValueFrom(request());
    } catch (error) {
      throw classifyXFailure(error);
    }
  }
}

function apiBase(settings: XSettings): string {
  return settings.apiBaseUrl.replace(/\/+$/, '');
}

/**
 * X's meaning of a failed call: 401 is a refused access token (the caller refreshes once),
 * 403 is a refusal that retrying will not change (e.g. the user does not accept DMs from the
 * account), 429 waits until `x-rate-limit-reset` unless it is a usage cap.
 */
function classifyXFailure(error: unknown): ProviderError {
  const failure = classifyHttpFailure(error, xErrorReason);
  const response = isAxiosError(error) ? error.response : undefined;
  if (response?.status === 403) return new ProviderError('PERMANENT', failure.message);
  if (response?.status !== 429) return failure;
  const body = decodeBody(response.data) as XErrorBody | undefined;
  if (typeof body?.type === 'string' && USAGE_CAPPED_PROBLEM.test(body.type)) {
    return new ProviderError('PERMANENT', failure.message);
  }
  return new ProviderError('RATE_LIMITED', failure.message, rateLimitWaitMs(response.headers));
}

/** Milliseconds until `x-rate-limit-reset` (epoch seconds), else Retry-After, else unknown. */
function rateLimitWaitMs(headers: AxiosResponse['headers']): number | undefined {
  const now = Date.now();
  const reset: unknown = headers['x-rate-limit-reset'];
  if (typeof reset === 'string' && /^\d+$/.test(reset.trim())) {
    return Math.max(MIN_RATE_LIMIT_WAIT_MS, Number(reset) * 1000 - now);
  }
  return parseRetryAfter(headers['retry-after'], now);
}

/** A refused refresh token cannot heal by retrying: the user must authorize the app again. */
function refreshFailure(error: unknown): ProviderError {
  const failure = classifyXFailure(error);
  const status = isAxiosError(error) ? error.response?.status : undefined;
  if (status !== 400 && status !== 401) return failure;
  return new ProviderError(
    'AUTH_FAILED',
    `X refused the refresh token (${failure.message}); authorize the app again and update refreshToken`,
  );
}

/** The provider's own words: problem `detail`, the first `errors[].message`, or OAuth's `error_description`. */
function xErrorReason(body: unknown): string | undefined {
  if (typeof body === 'string') return body.slice(0, 300) || undefined;
  const error = (body ?? {}) as XErrorBody;
  const [first] = Array.isArray(error.errors) ? error.errors : [];
  const reason = [error.detail, first?.message, first?.detail, error.error_description, error.title, error.error].find(
    (value) => typeof value === 'string' && value.length > 0,
  );
  return reason?.slice(0, 300);
}
