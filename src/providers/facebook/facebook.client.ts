import { HttpService } from '@nestjs/axios';
import { Injectable } from '@nestjs/common';
import { AxiosRequestConfig, AxiosResponse } from 'axios';
import { firstValueFrom } from 'rxjs';
import { downloadFile } from '../kits/http/file-download';
import { ProviderHttpOptions } from '../../common/http/provider-http-options';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { DownloadedFile } from '../../messaging/contracts/provider-workers';
import { graphApiRoot } from '../kits/meta-graph/graph-api';
import { graphFailure, graphReason } from '../kits/meta-graph/graph-errors';
import { FacebookSettings } from './facebook.settings.dto';

export interface GraphPage {
  id: string;
  name?: string;
}

export interface GraphUserProfile {
  first_name?: string;
  last_name?: string;
  profile_pic?: string;
}

/** The `message` of a Send API request: text, or one attachment by URL. */
export type SendApiMessage = { text: string } | { attachment: { type: string; payload: { url: string } } };

/** The webhook fields a Page subscribes our app to. */
export const SUBSCRIBED_FIELDS = [
  'messages',
  'message_deliveries',
  'message_reads',
  'message_echoes',
  'messaging_postbacks',
];

/**
 * The only place that speaks HTTP to the Graph API and Meta's CDN. The Page token travels in the
 * Authorization header, never in a URL, so no log line or error message can carry it.
 */
@Injectable()
export class FacebookClient {
  constructor(
    private readonly http: HttpService,
    private readonly httpOptions: ProviderHttpOptions,
  ) {}

  /** `GET /me`: with a Page token, the Page itself. */
  async getPage(settings: FacebookSettings): Promise<GraphPage> {
    const { data } = await this.call<GraphPage>(settings, {
      method: 'GET',
      url: this.graphUrl(settings, '/me'),
      params: { fields: 'id,name' },
    });
    if (typeof data?.id !== 'string') throw new ProviderError('PERMANENT', 'GET /me answered without a Page id');
    return data;
  }

  /** Subscribes our app to the Page's Messenger webhooks. */
  async subscribePage(settings: FacebookSettings, pageId: string): Promise<void> {
    const { data } = await this.call<{ success?: boolean }>(settings, {
      method: 'POST',
      url: this.graphUrl(settings, `/${encodeURIComponent(pageId)}/subscribed_apps`),
      params: { subscribed_fields: SUBSCRIBED_FIELDS.join(',') },
    });
    if (data?.success !== true) throw new ProviderError('PERMANENT', 'Meta did not confirm the Page subscription');
  }

  /** Send API: one message to a PSID inside the 24-hour window; the answer's `message_id` (mid). */
  async sendMessage(settings: FacebookSettings, recipientId: string, message: SendApiMessage): Promise<string | null> {
    const { data } = await this.call<{ message_id?: string }>(settings, {
      method: 'POST',
      url: this.graphUrl(settings, '/me/messages'),
      data: { recipient: { id: recipientId }, messaging_type: 'RESPONSE', message },
    });
    return typeof data?.message_id === 'string' ? data.message_id : null;
  }

  /** User Profile API; needs the person to have messaged the Page. */
  async getUserProfile(settings: FacebookSettings, psid: string): Promise<GraphUserProfile> {
    const { data } = await this.call<GraphUserProfile>(settings, {
      method: 'GET',
      url: this.graphUrl(settings, `/${encodeURIComponent(psid)}`),
      params: { fields: 'first_name,last_name,profile_pic' },
    });
    return data ?? {};
  }

  /** Attachment and profile picture URLs are public CDN links: no token goes with them. */
  download(url: string): Promise<DownloadedFile> {
    return downloadFile(this.http, url, this.httpOptions, {
      reason: graphReason,
    });
  }

  private graphUrl(settings: FacebookSettings, path: string): string {
    return `${graphApiRoot(settings)}${path}`;
  }

  private async call<T>(settings: FacebookSettings, request: AxiosRequestConfig): Promise<AxiosResponse<T>> {
    try {
      return await firstValueFrom(
        this.http.request<T>({
          ...request,
          headers: { authorization: `Bearer ${settings.pageAccessToken}` },
          timeout: this.httpOptions.timeoutMs,
        }),
      );
    } catch (error) {
      throw graphFailure(error, [settings.pageAccessToken, settings.appSecret]);
    }
  }
}
