import { HttpService } from '@nestjs/axios';
import { Injectable } from '@nestjs/common';
import { firstValueFrom, Observable } from 'rxjs';
import { decodeBody, downloadFile } from '../kits/http/file-download';
import { classifyHttpFailure } from '../kits/http/provider-http-errors';
import { ProviderHttpOptions } from '../../common/http/provider-http-options';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { ContactProfile, DownloadedFile } from '../../messaging/contracts/provider-workers';
import { SIGNATURE_HEADER, signBody } from './webhook.signature';

export interface WebhookOutboundBody {
  messageId: string;
  chatId: string;
  text: string | null;
  attachments: { url?: string; type: string; fileName?: string; mimeType?: string }[];
}

/** The only place that speaks HTTP to a custom channel's receiver. */
@Injectable()
export class WebhookClient {
  constructor(
    private readonly http: HttpService,
    private readonly httpOptions: ProviderHttpOptions,
  ) {}

  /** POSTs the signed message; returns the receiver's id for it, or null if it gave none. */
  async postMessage(url: string, secret: string, body: WebhookOutboundBody): Promise<string | null> {
    const json = JSON.stringify(body);
    const response = await this.call(() =>
      this.http.post<unknown>(url, json, {
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(json, secret) },
        timeout: this.httpOptions.timeoutMs,
      }),
    );
    const id = (response.data as { id?: unknown } | null)?.id;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
  }

  /** Any HTTP answer proves the receiver is there; no answer (or 5xx) is an error. */
  async ping(url: string): Promise<void> {
    await this.call(() =>
      this.http.head(url, {
        timeout: this.httpOptions.timeoutMs,
        validateStatus: (status) => status < 500,
      }),
    );
  }

  async fetchProfile(profileUrl: string, userId: string): Promise<ContactProfile | null> {
    try {
      const { data } = await this.call(() =>
        this.http.get<{ name?: unknown; avatarUrl?: unknown }>(profileUrl, {
          params: { userId },
          timeout: this.httpOptions.timeoutMs,
        }),
      );
      return {
        name: typeof data?.name === 'string' ? data.name : undefined,
        avatarUrl: typeof data?.avatarUrl === 'string' ? data.avatarUrl : undefined,
      };
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  download(url: string): Promise<DownloadedFile> {
    return downloadFile(this.http, url, this.httpOptions, {
      reason: reasonOf,
    });
  }

  private async call<T>(request: () => Observable<T>): Promise<T> {
    try {
      return await firstValueFrom(request());
    } catch (error) {
      throw classifyHttpFailure(error, (body) => reasonOf(decodeBody(body)));
    }
  }
}

/** The receiver's own words: `{error}`, `{message}` or a short text body. */
function reasonOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body.slice(0, 300) || undefined;
  const { error, message } = (body ?? {}) as { error?: unknown; message?: unknown };
  const reason = typeof error === 'string' ? error : typeof message === 'string' ? message : undefined;
  return reason?.slice(0, 300);
}
