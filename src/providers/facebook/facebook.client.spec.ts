import { HttpService } from '@nestjs/axios';
import { AxiosError, AxiosHeaders, AxiosRequestConfig, AxiosResponse } from 'axios';
import { of, throwError } from 'rxjs';
import { ProviderHttpOptions } from '../../common/http/provider-http-options';
import { FacebookClient } from './facebook.client';
import { FacebookSettings } from './facebook.settings.dto';

const settings: FacebookSettings = {
  pageAccessToken: 'EAAGm0PX4ZCpsBAKx7rZCfakePageAccessToken0123456789',
  appSecret: 'test_app_secret_0123456789abcdef',
  verifyToken: 'verify-7f3a9c2e41',
  apiBaseUrl: 'https://graph.example.test/',
  apiVersion: 'v25.0',
};
const httpOptions = new ProviderHttpOptions({ timeoutMs: 1500, maxDownloadBytes: 1024, allowPrivateNetwork: true });

function answer(data: unknown, headers: Record<string, string> = {}): AxiosResponse {
  return { status: 200, statusText: 'OK', data, headers, config: { headers: new AxiosHeaders() } };
}

describe(FacebookClient.name, () => {
  let http: { request: jest.Mock; get: jest.Mock };
  let sut: FacebookClient;

  beforeEach(() => {
    http = { request: jest.fn(), get: jest.fn() };
    sut = new FacebookClient(http as unknown as HttpService, httpOptions);
  });

  const sentRequest = (): AxiosRequestConfig => http.request.mock.calls[0][0];

  it('sends a message to POST /<version>/me/messages with the Page token as a bearer header', async () => {
    http.request.mockReturnValue(of(answer({ recipient_id: '6543210987654321', message_id: 'm_Sn9dA0pI1rE2' })));

    const mid = await sut.sendMessage(settings, '6543210987654321', { text: 'Order 8812 ships tomorrow' });

    expect(mid).toBe('m_Sn9dA0pI1rE2');
    expect(sentRequest()).toEqual({
      method: 'POST',
      url: 'https://graph.example.test/v25.0/me/messages',
      data: {
        recipient: { id: '6543210987654321' },
        messaging_type: 'RESPONSE',
        message: { text: 'Order 8812 ships tomorrow' },
      },
      headers: { authorization: `Bearer ${settings.pageAccessToken}` },
      timeout: 1500,
    });
  });

  it('answers a null external id when Meta gives no message_id', async () => {
    http.request.mockReturnValue(of(answer({ recipient_id: '6543210987654321' })));

    await expect(sut.sendMessage(settings, '6543210987654321', { text: 'hi' })).resolves.toBeNull();
  });

  it('asks GET /me for the Page id and name', async () => {
    http.request.mockReturnValue(of(answer({ id: '106540352242922', name: 'Acme Outdoor' })));

    await expect(sut.getPage(settings)).resolves.toEqual({ id: '106540352242922', name: 'Acme Outdoor' });
    expect(sentRequest()).toMatchObject({
      method: 'GET',
      url: 'https://graph.example.test/v25.0/me',
      params: { fields: 'id,name' },
    });
  });

  it('refuses a GET /me answer without a Page id', async () => {
    http.request.mockReturnValue(of(answer({ name: 'Someone' })));

    await expect(sut.getPage(settings)).rejects.toMatchObject({ code: 'PERMANENT' });
  });

  it('subscribes the Page to the Messenger webhook fields', async () => {
    http.request.mockReturnValue(of(answer({ success: true })));

    await sut.subscribePage(settings, '106540352242922');

    expect(sentRequest()).toMatchObject({
      method: 'POST',
      url: 'https://graph.example.test/v25.0/106540352242922/subscribed_apps',
      params: { subscribed_fields: 'messages,message_deliveries,message_reads,message_echoes,messaging_postbacks' },
    });
  });

  it('refuses a subscription Meta does not confirm', async () => {
    http.request.mockReturnValue(of(answer({ success: false })));

    await expect(sut.subscribePage(settings, '106540352242922')).rejects.toMatchObject({ code: 'PERMANENT' });
  });

  it('asks the User Profile API for first_name, last_name and profile_pic', async () => {
    const profile = { first_name: 'Anna', last_name: 'Kowalska', profile_pic: 'https://lookaside.example/p.jpg' };
    http.request.mockReturnValue(of(answer({ ...profile, id: '6543210987654321' })));

    await expect(sut.getUserProfile(settings, '6543210987654321')).resolves.toMatchObject(profile);
    expect(sentRequest()).toMatchObject({
      method: 'GET',
      url: 'https://graph.example.test/v25.0/6543210987654321',
      params: { fields: 'first_name,last_name,profile_pic' },
    });
  });

  it('turns a Graph error into a ProviderError that does not carry the token', async () => {
    const response = {
      status: 400,
      statusText: 'Bad Request',
      headers: {},
      config: { headers: new AxiosHeaders() },
      data: { error: { message: `Bad token ${settings.pageAccessToken}`, type: 'OAuthException', code: 190 } },
    } as AxiosResponse;
    http.request.mockReturnValue(throwError(() => new AxiosError('400', 'ERR_BAD_REQUEST', undefined, {}, response)));

    const failure = sut.sendMessage(settings, '1', { text: 'hi' });

    await expect(failure).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: 'Bad token [redacted] (Graph error 190)',
    });
  });

  it('downloads a CDN link as it is, without the token', async () => {
    const url = 'https://scontent.xx.fbcdn.net/v/t1.15752-9/photo_n.jpg?oh=00_AYB&oe=66A1B2C3';
    http.get.mockReturnValue(of(answer(Buffer.from('jpeg'), { 'content-type': 'image/jpeg' })));

    await expect(sut.download(url)).resolves.toEqual({ content: Buffer.from('jpeg'), mimeType: 'image/jpeg' });
    const [requestedUrl, options] = http.get.mock.calls[0];
    expect(requestedUrl).toBe(url);
    expect(options).toMatchObject({ responseType: 'arraybuffer', maxContentLength: 1024, timeout: 1500 });
    expect(JSON.stringify(options)).not.toContain(settings.pageAccessToken);
  });
});
