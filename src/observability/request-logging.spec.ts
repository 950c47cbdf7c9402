import { loggableUrl } from './request-logging';

describe(loggableUrl.name, () => {
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
  ])('logs %s as %s', (url, logged) => {
    expect(loggableUrl(url)).toBe(logged);
  });
});
