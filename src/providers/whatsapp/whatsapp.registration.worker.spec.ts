import { HttpService } from '@nestjs/axios';
import { AxiosError, AxiosResponse } from 'axios';
import { Observable, of, throwError } from 'rxjs';
import { ProviderHttpOptions } from '../../common/http/provider-http-options';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { WhatsAppClient } from './whatsapp.client';
import { WhatsAppRegistrationWorker } from './whatsapp.registration.worker';
import { WhatsAppSettings } from './whatsapp.settings.dto';

const ACCESS_TOKEN = 'EAAGm0PX4ZCpsBAFakeSystemUserToken0123456789';

const channel: ChannelContext<WhatsAppSettings> = {
  id: '0b7f3c1e-5a2d-4f8e-9c61-2d4e8a7b9f30',
  name: 'Support WhatsApp',
  provider: 'whatsapp',
  source: null,
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
  allowPrivateNetwork: false,
});

function graphHttp(status: number, data: unknown) {
  const requests: { url: string; options: unknown }[] = [];
  const http = {
    get: (url: string, options: unknown): Observable<AxiosResponse> => {
      requests.push({ url, options });
      const response = { data, status, headers: {} } as AxiosResponse;
      if (status < 400) return of(response);
      return throwError(() => new AxiosError('Request failed', 'ERR_BAD_REQUEST', undefined, undefined, response));
    },
  };
  return {
    sut: new WhatsAppRegistrationWorker(new WhatsAppClient(http as unknown as HttpService, httpOptions)),
    requests,
  };
}

describe(WhatsAppRegistrationWorker.name, () => {
  it('reads the phone number with the token; its id becomes the source', async () => {
    const { sut, requests } = graphHttp(200, {
      display_phone_number: '+1 555-078-3881',
      verified_name: 'Acme Parcels',
      id: '106540352242922',
    });

    await expect(sut.register(channel)).resolves.toEqual({ source: '106540352242922', connected: true });
    expect(requests).toEqual([
      {
        url: 'https://graph.facebook.com/v25.0/106540352242922',
        options: {
          headers: { authorization: `Bearer ${ACCESS_TOKEN}` },
          timeout: 1_000,
          params: { fields: 'display_phone_number,verified_name' },
        },
      },
    ]);
  });

  it('refuses an invalid token as AUTH_FAILED, on register and on check', async () => {
    const { sut } = graphHttp(401, {
      error: {
        message: 'Invalid OAuth access token - Cannot parse access token',
        type: 'OAuthException',
        code: 190,
        fbtrace_id: 'AxYz-190',
      },
    });

    await expect(sut.register(channel)).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: 'Invalid OAuth access token - Cannot parse access token (Graph error 190, fbtrace_id AxYz-190)',
    });
    await expect(sut.check(channel)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
  });

  it('describes the channel: WhatsApp Cloud API, 4096 characters, attachments, push', () => {
    const { sut } = graphHttp(200, {});

    expect(sut.displayName).toBe('WhatsApp Cloud API');
    expect(sut.capabilities).toMatchObject({ maxTextLength: 4_096, outboundAttachments: true, delivery: 'push' });
  });
});
