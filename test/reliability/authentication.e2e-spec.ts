import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';

// Public by design: probes, the API description, the console's static pages, and webhooks (which check the provider's signature instead). None holds data.
const PUBLIC_ROUTES = [/^\/health/, /^\/webhooks\//, /^\/docs/, /^\/console/];
const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

describe('Authentication everywhere and rate limits (promise 6)', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });

  afterAll(async () => {
    await sut.close();
  });

  it('answers 401 on every non-public route without a token, and with a wrong one', async () => {
    const routes = sut.routes.filter((route) => !PUBLIC_ROUTES.some((pattern) => pattern.test(route.path)));
    expect(routes.length).toBeGreaterThan(30);
    for (const { method, path } of routes) {
      const url = path.replace(/:\w+/g, SAMPLE_ID);
      const anonymous = await request(sut.app.getHttpServer())[method as 'get'](url);
      const forged = await request(sut.app.getHttpServer())[method as 'get'](url).auth('op_forged', { type: 'bearer' });
      expect([method, path, anonymous.status, forged.status]).toEqual([method, path, 401, 401]);
    }
  });

  it('keeps admin and operator tokens apart', async () => {
    const operator = await sut
      .admin()
      .post('/admin/operators')
      .send({ name: 'Zoe', email: 'zoe@example.com' })
      .expect(201);
    await request(sut.app.getHttpServer())
      .get('/admin/channels')
      .auth(operator.body.token, { type: 'bearer' })
      .expect(401);
    await sut.admin().get('/operators/me').expect(401);
  });

  it('rate limits each token and each IP across routes, answering 429 in the error format, but never the webhooks', async () => {
    const limitedApp = await startTestApp({ API_RATE_LIMIT_PER_MINUTE: '10' });
    const server = limitedApp.app.getHttpServer();
    const operator = await limitedApp.admin().post('/admin/operators').send({ name: 'Yan', email: 'yan@example.com' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await limitedApp.admin().get('/admin/providers')).status);
      statuses.push((await limitedApp.admin().get('/admin/channels')).status);
    }
    expect(statuses).toEqual([...Array(9).fill(200), 429, 429, 429]);
    const limited = await limitedApp.admin().get('/chats').expect(429);
    expect(limited.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    await request(server).get('/operators/me').auth(operator.body.token, { type: 'bearer' }).expect(200);

    const anonymous = [];
    for (let i = 0; i < 12; i++) anonymous.push((await request(server).get('/admin/providers')).status);
    expect(anonymous).toEqual([...Array(10).fill(401), 429, 429]);
    for (let i = 0; i < 20; i++) {
      await request(server).post(`/webhooks/${SAMPLE_ID}`).send({}).expect(404);
    }
    await limitedApp.close();
  });
});
