import { HttpService } from '@nestjs/axios';
import { Injectable } from '@nestjs/common';
import { firstValueFrom } from 'rxjs';
import { downloadFile } from '../kits/http/file-download';
import { classifyHttpFailure } from '../kits/http/provider-http-errors';
import { ProviderHttpOptions } from '../../common/http/provider-http-options';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { DownloadedFile } from '../../messaging/contracts/provider-workers';
import {
  SendParams,
  SetWebhookParams,
  TelegramBotUser,
  TelegramEnvelope,
  TelegramFile,
  TelegramSentMessage,
  TelegramUserProfilePhotos,
} from './telegram.api.types';
import { TelegramSettings } from './telegram.settings.dto';

type TelegramCredentials = Pick<TelegramSettings, 'token' | 'apiBaseUrl'>;

/**
 * The only place that speaks HTTP to the Bot API. Every URL it builds carries the bot token, so
 * no URL ever leaves this class: failures are reported by method name and Telegram's own words.
 */
@Injectable()
export class TelegramClient {
  constructor(
    private readonly http: HttpService,
    private readonly httpOptions: ProviderHttpOptions,
  ) {}

  getMe(settings: TelegramCredentials): Promise<TelegramBotUser> {
    return this.call(settings, 'getMe', {});
  }

  async setWebhook(settings: TelegramCredentials, params: SetWebhookParams): Promise<void> {
    await this.call<true>(settings, 'setWebhook', params);
  }

  send(settings: TelegramCredentials, { method, body }: SendParams): Promise<TelegramSentMessage> {
    return this.call(settings, method, body);
  }

  getFile(settings: TelegramCredentials, fileId: string): Promise<TelegramFile> {
    return this.call(settings, 'getFile', { file_id: fileId });
  }

  getUserProfilePhotos(
    settings: TelegramCredentials,
    userId: number,
    limit: number,
  ): Promise<TelegramUserProfilePhotos> {
    return this.call(settings, 'getUserProfilePhotos', { user_id: userId, limit });
  }

  /** Downloads a file getFile described, from `<apiBaseUrl>/file/bot<token>/<file_path>`. */
  download(settings: TelegramCredentials, filePath: string): Promise<DownloadedFile> {
    return downloadFile(this.http, `${baseUrlOf(settings)}/file/bot${settings.token}/${filePath}`, this.httpOptions, {
      reason: descriptionOf,
    });
  }

  private async call<T>(settings: TelegramCredentials, method: string, params: object): Promise<T> {
    let response: { status: number; data: unknown };
    try {
      response = await firstValueFrom(
        this.http.post<unknown>(`${baseUrlOf(settings)}/bot${settings.token}/${method}`, params, {
          timeout: this.httpOptions.timeoutMs,
          // Telegram answers errors with a JSON envelope under a matching HTTP status: read it ourselves.
          validateStatus: () => true,
        }),
      );
    } catch (error) {
      throw classifyHttpFailure(error, () => undefined);
    }
    const envelope = response.data as TelegramEnvelope<T> | null;
    if (envelope?.ok === true && envelope.result !== undefined) return envelope.result;
    throw telegramFailure(method, response.status, envelope);
  }
}

function baseUrlOf(settings: TelegramCredentials): string {
  return settings.apiBaseUrl.replace(/\/+$/, '');
}

function descriptionOf(body: unknown): string | undefined {
  const description = (body as TelegramEnvelope<unknown> | null)?.description;
  return typeof description === 'string' ? description.slice(0, 300) : undefined;
}

/**
 * Maps a Bot API failure to the core's codes: 429 waits `retry_after` seconds; 401 is a revoked
 * token, and so is 404, which Telegram answers for a token it does not know; 5xx is temporary;
 * anything else (400 bad request, 403 blocked by the user…) fails with Telegram's description.
 */
export function telegramFailure(
  method: string,
  httpStatus: number,
  envelope: TelegramEnvelope<unknown> | null,
): ProviderError {
  const code = typeof envelope?.error_code === 'number' ? envelope.error_code : httpStatus;
  const description = descriptionOf(envelope) ?? `HTTP ${httpStatus} without a Bot API answer`;
  if (code === 429) {
    const retryAfter = envelope?.parameters?.retry_after;
    return new ProviderError(
      'RATE_LIMITED',
      description,
      typeof retryAfter === 'number' ? retryAfter * 1000 : undefined,
    );
  }
  if (code === 401 || code === 404) {
    return new ProviderError('AUTH_FAILED', `Telegram refused the bot token (${description}); check the token`);
  }
  if (code >= 500 || code < 400) return new ProviderError('TEMPORARY', `Telegram ${method}: ${description}`);
  return new ProviderError('PERMANENT', description);
}
