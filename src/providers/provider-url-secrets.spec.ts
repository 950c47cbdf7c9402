import { LoggableUrls } from '../common/http/loggable-urls';
import { PROVIDER_URL_SECRETS } from '.';

/** The log redacts, in every URL, the union of what the providers declare secret. */
describe('PROVIDER_URL_SECRETS', () => {
  const loggableUrls = new LoggableUrls(PROVIDER_URL_SECRETS);
  const loggableUrl = (url: string) => loggableUrls.of(url);

  it.each([
    [
      'https://api.telegram.org/bot123456:AAHsecret-token_x/sendMessage',
      'https://api.telegram.org/bot[redacted]/sendMessage',
    ],
    [
      '/webhooks/abc?hub.mode=subscribe&hub.verify_token=s3cret&hub.challenge=1',
      '/webhooks/abc?hub.mode=subscribe&hub.verify_token=[redacted]&hub.challenge=1',
    ],
    [
      'https://graph.example.com/me?access_token=EAAG123&fields=id',
      'https://graph.example.com/me?access_token=[redacted]&fields=id',
    ],
    ['https://crm:p4ss@hooks.example.com/in?token=abc', 'https://[redacted]@hooks.example.com/in?token=[redacted]'],
    ['/chats/123/messages?limit=50', '/chats/123/messages?limit=50'],
    [
      'https://api.telegram.org/file/bot123456:AAHsecret-token_x/photos/file_1.jpg',
      'https://api.telegram.org/file/bot[redacted]/photos/file_1.jpg',
    ],
  ])('logs %s as %s', (url, logged) => {
    expect(loggableUrl(url)).toBe(logged);
  });

  it.each([...new Set(PROVIDER_URL_SECRETS.flatMap((secrets) => secrets.queryParameters ?? []))])(
    'redacts the query parameter %s, which a provider declares secret',
    (name) => {
      expect(loggableUrl(`https://api.example.com/in?a=1&${name}=s3cret&b=2`)).toBe(
        `https://api.example.com/in?a=1&${name}=[redacted]&b=2`,
      );
    },
  );
});
