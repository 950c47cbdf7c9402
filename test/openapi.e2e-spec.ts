import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';

describe('OpenAPI document', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });

  afterAll(async () => {
    await sut.close();
  });

  it('documents every controller route, with the error shape, at /docs-json; /docs is browsable', async () => {
    const document = (await request(sut.app.getHttpServer()).get('/docs-json').expect(200)).body;
    const routes = sut.routes.filter((route) => !route.path.startsWith('/docs'));
    expect(routes.length).toBeGreaterThan(40);
    const missing = routes.filter(({ method, path }) => !document.paths[path.replace(/:(\w+)/g, '{$1}')]?.[method]);
    expect(missing).toEqual([]);

    const send = document.paths['/chats/{id}/messages'].post;
    expect(send.responses['202']).toBeDefined();
    expect(send.responses['409'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(document.components.schemas.Error.properties.code.enum).toContain('CHAT_CLOSED');
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });

    expect(document.components.schemas.RegisterChannelDto).toMatchObject({
      required: expect.arrayContaining(['name', 'provider', 'settings']),
      properties: { name: expect.any(Object), provider: expect.any(Object), settings: expect.any(Object) },
    });
    expect(document.components.schemas.SendMessageDto.properties.clientMessageId.description).toMatch(
      /idempotency key/,
    );

    const page = await request(sut.app.getHttpServer()).get('/docs').expect(200);
    expect(page.text).toContain('swagger-ui');
  });
});
