import { LoggableUrls } from './loggable-urls';

describe(LoggableUrls.name, () => {
  it('redacts user info and a token parameter in any URL, with nothing declared', () => {
    const sut = new LoggableUrls([]);

    expect(sut.of('https://crm:p4ss@hooks.example.com/in?token=abc&id=7')).toBe(
      'https://[redacted]@hooks.example.com/in?token=[redacted]&id=7',
    );
  });

  it('redacts declared query parameters, reading their names literally', () => {
    const sut = new LoggableUrls([{ queryParameters: ['hub.verify_token'] }, { queryParameters: ['crc_token'] }]);

    expect(sut.of('/webhooks/abc?hub.verify_token=s3cret&hubXverify_token=shown&crc_token=c')).toBe(
      '/webhooks/abc?hub.verify_token=[redacted]&hubXverify_token=shown&crc_token=[redacted]',
    );
  });

  it('redacts every occurrence of a declared path secret, with or without the g flag', () => {
    const sut = new LoggableUrls([{ pathSecrets: [/(?<=\/key\/)[a-z0-9]+/] }]);

    expect(sut.of('https://api.example.com/key/abc123/file/key/def456')).toBe(
      'https://api.example.com/key/[redacted]/file/key/[redacted]',
    );
  });

  it('leaves a URL without secrets as it is', () => {
    expect(new LoggableUrls([{ queryParameters: ['access_token'] }]).of('/chats/123/messages?limit=50')).toBe(
      '/chats/123/messages?limit=50',
    );
  });
});
