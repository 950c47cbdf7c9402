import { HttpService } from '@nestjs/axios';
import { AxiosError, AxiosHeaders } from 'axios';
import { Observable, of, throwError } from 'rxjs';
import { ProviderHttpOptions } from '../../common/http/provider-http-options';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { TelegramClient, telegramFailure } from './telegram.client';

const TOKEN = '7012345678:AAHfakeTokenForUnitTests_0123456789ab';
const settings = { token: TOKEN, apiBaseUrl: 'https://api.telegram.test/' };
const httpOptions = new ProviderHttpOptions({ timeoutMs: 1500, maxDownloadBytes: 1024, allowPrivateNetwork: true });

function httpAnswering(answer: Observable<unknown>) {
  const http = { post: jest.fn(() => answer), get: jest.fn(() => answer) };
  return { http, sut: new TelegramClient(http as unknown as HttpService, httpOptions) };
}

async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe(TelegramClient.name, () => {
  it('POSTs the parameters as JSON to <apiBaseUrl>/bot<token>/<method> and returns the result', async () => {
    const result = { message_id: 4215, chat: { id: 5123456789, type: 'private' }, date: 1750412700, text: 'Hi' };
    const { http, sut } = httpAnswering(of({ status: 200, data: { ok: true, result } }));

    const sent = await sut.send(settings, { method: 'sendMessage', body: { chat_id: 5123456789, text: 'Hi' } });

    expect(sent).toEqual(result);
    expect(http.post).toHaveBeenCalledTimes(1);
    expect(http.post).toHaveBeenCalledWith(
      `https://api.telegram.test/bot${TOKEN}/sendMessage`,
      { chat_id: 5123456789, text: 'Hi' },
      expect.objectContaining({ timeout: 1500 }),
    );
  });

  it('asks getUserProfilePhotos for one photo of the user', async () => {
    const { http, sut } = httpAnswering(
      of({ status: 200, data: { ok: true, result: { total_count: 0, photos: [] } } }),
    );

    await sut.getUserProfilePhotos(settings, 5123456789, 1);

    expect(http.post).toHaveBeenCalledWith(
      `https://api.telegram.test/bot${TOKEN}/getUserProfilePhotos`,
      { user_id: 5123456789, limit: 1 },
      expect.anything(),
    );
  });

  it('reads an error envelope into a ProviderError', async () => {
    const { sut } = httpAnswering(
      of({ status: 403, data: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } }),
    );

    const error = await failureOf(sut.getMe(settings));

    expect(error).toMatchObject({ code: 'PERMANENT', message: 'Forbidden: bot was blocked by the user' });
  });

  it('downloads from <apiBaseUrl>/file/bot<token>/<file_path>', async () => {
    const { http, sut } = httpAnswering(
      of({ status: 200, data: Buffer.from('%PDF-1.7'), headers: { 'content-type': 'application/pdf' } }),
    );

    const file = await sut.download(settings, 'documents/file_17.pdf');

    expect(file).toEqual({ content: Buffer.from('%PDF-1.7'), mimeType: 'application/pdf' });
    expect(http.get).toHaveBeenCalledWith(
      `https://api.telegram.test/file/bot${TOKEN}/documents/file_17.pdf`,
      expect.objectContaining({ responseType: 'arraybuffer', maxContentLength: 1024 }),
    );
  });

  it.each([
    ['a refused connection', 'ECONNREFUSED', undefined, 'TEMPORARY'],
    ['a 404 of the file server', 'ERR_BAD_REQUEST', 404, 'NOT_FOUND'],
  ])('never puts the token in the message of %s', async (_case, code, status, providerCode) => {
    const url = `https://api.telegram.test/file/bot${TOKEN}/documents/file_17.pdf`;
    const response = status
      ? {
          status,
          statusText: 'Not Found',
          headers: {},
          config: { headers: new AxiosHeaders() },
          data: Buffer.from(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' })),
        }
      : undefined;
    const axiosError = new AxiosError(`failed ${url}`, code, { url, headers: new AxiosHeaders() }, {}, response);
    const { sut } = httpAnswering(throwError(() => axiosError));

    const downloadError = await failureOf(sut.download(settings, 'documents/file_17.pdf'));
    const callError = await failureOf(sut.getMe(settings));

    expect(downloadError.code).toBe(providerCode);
    for (const error of [downloadError, callError]) {
      expect(error.message).not.toContain(TOKEN);
      expect(error.message).not.toContain('AAHfake');
    }
  });
});

describe(telegramFailure.name, () => {
  it.each([
    [
      '429 with retry_after',
      429,
      { ok: false, error_code: 429, description: 'Too Many Requests: retry after 17', parameters: { retry_after: 17 } },
      { code: 'RATE_LIMITED', retryAfterMs: 17_000, message: 'Too Many Requests: retry after 17' },
    ],
    [
      '429 without parameters',
      429,
      { ok: false, error_code: 429, description: 'Too Many Requests' },
      { code: 'RATE_LIMITED', retryAfterMs: undefined },
    ],
    [
      '400 upgraded group',
      400,
      {
        ok: false,
        error_code: 400,
        description: 'Bad Request: group chat was upgraded to a supergroup chat',
        parameters: { migrate_to_chat_id: -1001987654321 },
      },
      { code: 'PERMANENT', message: 'Bad Request: group chat was upgraded to a supergroup chat' },
    ],
    [
      '403 blocked',
      403,
      { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
      { code: 'PERMANENT', message: 'Forbidden: bot was blocked by the user' },
    ],
    [
      '401 revoked token',
      401,
      { ok: false, error_code: 401, description: 'Unauthorized' },
      { code: 'AUTH_FAILED', message: 'Telegram refused the bot token (Unauthorized); check the token' },
    ],
    [
      '404 unknown token',
      404,
      { ok: false, error_code: 404, description: 'Not Found' },
      { code: 'AUTH_FAILED', message: 'Telegram refused the bot token (Not Found); check the token' },
    ],
    [
      '500',
      500,
      { ok: false, error_code: 500, description: 'Internal Server Error' },
      { code: 'TEMPORARY', message: 'Telegram sendMessage: Internal Server Error' },
    ],
    [
      'a 502 page from a proxy',
      502,
      '<html>Bad Gateway</html>',
      { code: 'TEMPORARY', message: 'Telegram sendMessage: HTTP 502 without a Bot API answer' },
    ],
    [
      'a 200 that is not an envelope',
      200,
      { hello: 'world' },
      { code: 'TEMPORARY', message: 'Telegram sendMessage: HTTP 200 without a Bot API answer' },
    ],
  ])('maps %s', (_case, status, body, expected) => {
    const error = telegramFailure('sendMessage', status, body as never);

    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject(expected);
  });
});
