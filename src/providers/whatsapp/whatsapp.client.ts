import { HttpService } from '@nestjs/axios';
import { Injectable } from '@nestjs/common';
import { firstValueFrom, Observable } from 'rxjs';
import { downloadFile } from '../kits/http/file-download';
import { ProviderHttpOptions } from '../../common/http/provider-http-options';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { DownloadedFile } from '../../messaging/contracts/provider-workers';
import { graphApiRoot } from '../kits/meta-graph/graph-api';
import { graphFailure, graphReason } from '../kits/meta-graph/graph-errors';
import { WhatsAppSettings } from './whatsapp.settings.dto';

export type WhatsAppMediaKind = 'image' | 'video' | 'audio' | 'document';

/** The body of `POST /<phone_number_id>/messages`: a text, or one media object sent by link. */
export interface WhatsAppOutboundBody extends Partial<Record<WhatsAppMediaKind, WhatsAppOutboundMedia>> {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  to: string;
  type: 'text' | WhatsAppMediaKind;
  text?: { body: string };
}

export interface WhatsAppOutboundMedia {
  link: string;
  caption?: string;
  filename?: string;
}

export interface WhatsAppMediaLocation {
  /** Valid for 5 minutes, and only with the Bearer token. */
  url: string;
  mimeType?: string;
}

/** The only place that speaks HTTP to the WhatsApp Cloud API (Graph API). */
@Injectable()
export class WhatsAppClient {
  constructor(
    private readonly http: HttpService,
    private readonly httpOptions: ProviderHttpOptions,
  ) {}

  /** Sends one message; the answer's `messages[0].id` (the wamid) is what statuses will name. */
  async sendMessage(settings: WhatsAppSettings, body: WhatsAppOutboundBody): Promise<string | null> {
    const { data } = await this.call(settings, () =>
      this.http.post<{ messages?: { id?: unknown }[] }>(
        `${graphApiRoot(settings)}/${settings.phoneNumberId}/messages`,
        body,
        this.requestConfig(settings),
      ),
    );
    const id = data?.messages?.[0]?.id;
    return typeof id === 'string' ? id : null;
  }

  /** The id of the business phone number the settings point at; fails when the token cannot read it. */
  async getPhoneNumberId(settings: WhatsAppSettings): Promise<string> {
    const { data } = await this.call(settings, () =>
      this.http.get<{ id?: unknown }>(`${graphApiRoot(settings)}/${settings.phoneNumberId}`, {
        ...this.requestConfig(settings),
        params: { fields: 'display_phone_number,verified_name' },
      }),
    );
    return typeof data?.id === 'string' ? data.id : settings.phoneNumberId;
  }

  /** Step one of a media download: a short-lived URL for the media id of a webhook. */
  async getMediaLocation(settings: WhatsAppSettings, mediaId: string): Promise<WhatsAppMediaLocation> {
    const { data } = await this.call(settings, () =>
      this.http.get<{ url?: unknown; mime_type?: unknown }>(
        `${graphApiRoot(settings)}/${encodeURIComponent(mediaId)}`,
        {
          ...this.requestConfig(settings),
          params: { phone_number_id: settings.phoneNumberId },
        },
      ),
    );
    if (typeof data?.url !== 'string') throw new ProviderError('PERMANENT', `media ${mediaId} has no download URL`);
    return { url: data.url, mimeType: typeof data.mime_type === 'string' ? data.mime_type : undefined };
  }

  /** Step two: the bytes, fetched with the same Bearer token (the URL refuses requests without it). */
  downloadMedia(settings: WhatsAppSettings, url: string): Promise<DownloadedFile> {
    return downloadFile(this.http, url, this.httpOptions, {
      headers: { authorization: `Bearer ${settings.accessToken}` },
      reason: graphReason,
    });
  }

  private requestConfig(settings: WhatsAppSettings) {
    return {
      headers: { authorization: `Bearer ${settings.accessToken}` },
      timeout: this.httpOptions.timeoutMs,
    };
  }

  private async call<T>(settings: WhatsAppSettings, request: () => Observable<T>): Promise<T> {
    try {
      return await firstValueFrom(request());
    } catch (error) {
      throw graphFailure(error, [settings.accessToken, settings.appSecret]);
    }
  }
}
