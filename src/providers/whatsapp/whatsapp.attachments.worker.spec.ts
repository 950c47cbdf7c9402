import { HttpService } from '@nestjs/axios';
import { AxiosError, AxiosResponse } from 'axios';
import { Observable, of, throwError } from 'rxjs';
import { ProviderHttpOptions } from '../../common/http/provider-http-options';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { WhatsAppAttachmentsWorker } from './whatsapp.attachments.worker';
import { WhatsAppClient } from './whatsapp.client';
import { WhatsAppSettings } from './whatsapp.settings.dto';

const ACCESS_TOKEN = 'EAAGm0PX4ZCpsBAFakeSystemUserToken0123456789';
const LOOKASIDE_URL =
  'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1048227513347285&ext=1750413961&hash=ATu-fake';
const PHOTO = Buffer.from('ffd8ffe000104a464946-not-really-a-jpeg');

const channel: ChannelContext<WhatsAppSettings> = {
  id: '0b7f3c1e-5a2d-4f8e-9c61-2d4e8a7b9f30',
  name: 'Support WhatsApp',
  provider: 'whatsapp',
  source: '106540352242922',
  settings: {
    accessToken: ACCESS_TOKEN,
    appSecret: 'c0ffee0123456789abcdef0123456789',
    verifyToken: 'verify-me-please',
    phoneNumberId: '106540352242922',
  },
  webhookUrl: 'https://chat.example.com/webhooks/0b7f3c1e-5a2d-4f8e-9c61-2d4e8a7b9f30',
};

const httpOptions = new ProviderHttpOptions({
  timeoutMs: 1_000,
  maxDownloadBytes: 1_000_000,
  allowPrivateNetwork: true,
});

interface GetRequest {
  url: string;
  options: { headers?: Record<string, string>; params?: Record<string, string>; maxContentLength?: number };
}

type Answer = { status: number; data: unknown; headers?: Record<string, string> };

/** A stand-in for HttpService.get that answers by URL and records every request. */
function graphHttp(answers: Record<string, Answer>) {
  const requests: GetRequest[] = [];
  const http = {
    get: (url: string, options: GetRequest['options']): Observable<AxiosResponse> => {
      requests.push({ url, options });
      const answer = answers[url] ?? { status: 404, data: 'no such route' };
      const response = { data: answer.data, status: answer.status, headers: answer.headers ?? {} } as AxiosResponse;
      if (answer.status < 400) return of(response);
      return throwError(() => new AxiosError('Request failed', 'ERR_BAD_REQUEST', undefined, undefined, response));
    },
  };
  return { http: http as unknown as HttpService, requests };
}

const mediaInfo: Answer = {
  status: 200,
  data: {
    messaging_product: 'whatsapp',
    url: LOOKASIDE_URL,
    mime_type: 'image/jpeg',
    sha256: 'q1Wm0k7yYp3bQ9v2s8ZtR4uH6xN1cE5fG7jL0aD2oK8=',
    file_size: '184233',
    id: '1048227513347285',
  },
};

describe(WhatsAppAttachmentsWorker.name, () => {
  const image = { kind: 'image', providerFileId: '1048227513347285', mimeType: 'image/jpeg' };

  async function failure(promise: Promise<unknown>): Promise<ProviderError> {
    const error: unknown = await promise.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }

  it('asks Graph for the media URL, then downloads it with the same Bearer token', async () => {
    const { http, requests } = graphHttp({
      'https://graph.facebook.com/v25.0/1048227513347285': mediaInfo,
      [LOOKASIDE_URL]: { status: 200, data: PHOTO, headers: { 'content-type': 'image/jpeg' } },
    });
    const sut = new WhatsAppAttachmentsWorker(new WhatsAppClient(http, httpOptions));

    const file = await sut.load({ ...image, fileName: undefined }, channel);

    expect(file).toEqual({ content: PHOTO, mimeType: 'image/jpeg', fileName: undefined });
    expect(requests).toEqual([
      {
        url: 'https://graph.facebook.com/v25.0/1048227513347285',
        options: expect.objectContaining({
          headers: { authorization: `Bearer ${ACCESS_TOKEN}` },
          params: { phone_number_id: '106540352242922' },
        }),
      },
      {
        url: LOOKASIDE_URL,
        options: expect.objectContaining({
          headers: { authorization: `Bearer ${ACCESS_TOKEN}` },
          maxContentLength: 1_000_000,
        }),
      },
    ]);
  });

  it("keeps a document's file name and takes Graph's mime type over the download's", async () => {
    const { http } = graphHttp({
      'https://graph.facebook.com/v25.0/622684793477190': {
        status: 200,
        data: { ...(mediaInfo.data as object), mime_type: 'application/pdf', id: '622684793477190' },
      },
      [LOOKASIDE_URL]: { status: 200, data: PHOTO, headers: { 'content-type': 'application/octet-stream' } },
    });
    const sut = new WhatsAppAttachmentsWorker(new WhatsAppClient(http, httpOptions));

    const file = await sut.load(
      { kind: 'document', providerFileId: '622684793477190', fileName: 'receipt-8812.pdf' },
      channel,
    );

    expect(file).toMatchObject({ mimeType: 'application/pdf', fileName: 'receipt-8812.pdf' });
  });

  it('retries an expired media URL (404) as TEMPORARY, so the next attempt asks for a fresh one', async () => {
    const { http } = graphHttp({ 'https://graph.facebook.com/v25.0/1048227513347285': mediaInfo });
    const sut = new WhatsAppAttachmentsWorker(new WhatsAppClient(http, httpOptions));

    expect((await failure(sut.load(image, channel))).code).toBe('TEMPORARY');
  });

  it('fails a media id Graph does not know for good', async () => {
    const { http } = graphHttp({
      'https://graph.facebook.com/v25.0/1048227513347285': {
        status: 400,
        data: {
          error: {
            message: "Unsupported get request. Object with ID '1048227513347285' does not exist",
            type: 'GraphMethodException',
            code: 100,
            error_subcode: 33,
            fbtrace_id: 'A1b2C3',
          },
        },
      },
    });
    const sut = new WhatsAppAttachmentsWorker(new WhatsAppClient(http, httpOptions));

    const error = await failure(sut.load(image, channel));

    expect(error.code).toBe('PERMANENT');
    expect(error.message).toContain("Object with ID '1048227513347285' does not exist");
  });

  it('fails an attachment without media id for good, asking nothing', async () => {
    const { http, requests } = graphHttp({});
    const sut = new WhatsAppAttachmentsWorker(new WhatsAppClient(http, httpOptions));

    expect((await failure(sut.load({ kind: 'image' }, channel))).code).toBe('PERMANENT');
    expect(requests).toEqual([]);
  });
});
