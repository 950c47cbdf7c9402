import fc from 'fast-check';
import request from 'supertest';
import { ProviderFake, providerContractFixtures, registerChannel } from '../support/provider-contract';
import { startTestApp, TestApp } from '../support/test-app';

/** One way to authenticate a body for one channel; `null` sends no credentials at all. */
interface FuzzTarget {
  name: string;
  channelId: string;
  validHeaders(rawBody: string): Record<string, string>;
}

const ALLOWED_STATUSES = new Set([200, 400, 401, 404, 413, 415]);

/** Random and malformed webhook requests: never a 500, and nothing stored without valid credentials (promise 6). */
describe('Webhook endpoints under fuzzed input', () => {
  let sut: TestApp;
  const fakes: ProviderFake[] = [];
  const targets: FuzzTarget[] = [];

  beforeAll(async () => {
    sut = await startTestApp({ PUBLIC_URL: 'https://chat.example.com', HTTP_BODY_LIMIT_BYTES: '65536' });
    // Every push provider with a contract fixture: a new provider is fuzzed by adding its fixture.
    for (const fixture of providerContractFixtures()) {
      const { inbound } = fixture;
      if (!inbound) continue;
      const fake = await fixture.startFake();
      fakes.push(fake);
      targets.push({
        name: fixture.code,
        channelId: await registerChannel(sut, fixture.code, fixture.settings(fake)),
        validHeaders: (body) => inbound.signedHeaders(fake, body),
      });
    }
  });

  afterAll(async () => {
    await sut.close();
    for (const fake of fakes) await fake.stop();
  });

  const storedRows = async () =>
    Number(
      (await sut.db.query(`SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM contacts) AS n`)).rows[0].n,
    );

  const bodies = fc.oneof(
    fc.json({ maxDepth: 4 }),
    fc.string({ maxLength: 300 }),
    fc.constantFrom(
      '',
      '{',
      '[]',
      'null',
      '{"messages":[{}]}',
      '{"update_id":1,"message":{}}',
      '{"object":"page","entry":[{}]}',
    ),
    fc
      .record({ messages: fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { maxLength: 3 }) })
      .map((value) => JSON.stringify(value)),
    fc
      .record({ update_id: fc.integer(), message: fc.dictionary(fc.string(), fc.jsonValue()) })
      .map((value) => JSON.stringify(value)),
    fc.constant(JSON.stringify({ messages: [{ text: 'x'.repeat(70_000) }] })),
    // Well-formed custom-channel messages with random content, weighted so the storing path is fuzzed too.
    {
      weight: 6,
      arbitrary: fc
        .record({
          id: fc.string({ minLength: 1, maxLength: 40 }),
          chatId: fc.string({ minLength: 1, maxLength: 40 }),
          text: fc.string({ minLength: 1 }),
        })
        .map(({ id, chatId, text }) =>
          JSON.stringify({ messages: [{ id, chatId, from: { id: chatId }, text, timestamp: 1_700_000_000 }] }),
        ),
    },
  );
  const contentTypes = fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
  );

  it('answers only 2xx/4xx to random bodies and headers, and stores nothing when the credentials are wrong', async () => {
    const outcomes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: targets.length - 1 }),
        bodies,
        contentTypes,
        fc.constantFrom('valid', 'missing', 'forged'),
        async (targetIndex, body, contentType, credentials) => {
          const target = targets[targetIndex];
          const headers =
            credentials === 'valid'
              ? target.validHeaders(body)
              : credentials === 'forged'
                ? Object.fromEntries(
                    Object.keys(target.validHeaders(body)).map((name) => [name, `sha256=${'0'.repeat(64)}`]),
                  )
                : {};
          const before = credentials === 'valid' ? 0 : await storedRows();
          const response = await request(sut.app.getHttpServer())
            .post(`/webhooks/${target.channelId}`)
            .set({ 'content-type': contentType, ...headers })
            .send(body);
          expect([target.name, ALLOWED_STATUSES.has(response.status)]).toEqual([target.name, true]);
          if (response.status !== 200)
            expect(response.body).toMatchObject({ statusCode: response.status, code: expect.any(String) });
          outcomes.add(`${target.name}:${credentials}:${response.status}`);
          if (credentials !== 'valid') {
            expect(response.status).not.toBe(200);
            expect(await storedRows()).toBe(before);
          }
        },
      ),
      // A fixed seed keeps CI reproducible; FUZZ_SEED explores other corners.
      { numRuns: 400, seed: Number(process.env.FUZZ_SEED ?? 20261121) },
    );
    // The runs reached both sides: refusals, bad payloads, and messages actually stored.
    expect([...outcomes]).toEqual(
      expect.arrayContaining(['webhook:valid:200', 'webhook:valid:400', 'webhook:forged:401', 'facebook:missing:401']),
    );
  }, 60_000);
});
