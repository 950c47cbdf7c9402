import { createHmac, randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { ChannelContextLoader } from '../../src/messaging/channel-context/channel-context.loader';
import { ChannelContext } from '../../src/messaging/contracts/channel-context';
import { ProviderError } from '../../src/messaging/contracts/provider-error';
import { secretSettingFields } from '../../src/messaging/contracts/secret-setting.decorator';
import { ProviderRegistry, ProviderWorkers } from '../../src/messaging/registry/provider-registry.service';
import { startTestApp, TestApp } from './test-app';

/** What every provider contract fixture's rate-limited answer asks to wait, in seconds. */
export const RETRY_AFTER_SECONDS = 7;

/** How a provider's API can refuse a send, each answered the way that provider really answers it. */
export type ProviderFailure = 'rate-limited' | 'unavailable' | 'credentials-refused';

/** A fake provider API on 127.0.0.1 (or nothing, for providers that speak no HTTP). */
export interface ProviderFake {
  stop(): Promise<void>;
}

export const NO_FAKE: ProviderFake = { stop: async () => undefined };

/**
 * What the shared contract suite needs to know about one provider, kept in
 * `test/providers/<code>.contract-fixture.ts` as `contractFixture`. The parts present say which
 * promises the provider makes: push providers have `inbound`, providers that send have `outbound`.
 */
export interface ProviderContractFixture<TFake extends ProviderFake = ProviderFake> {
  code: string;
  startFake(): Promise<TFake>;
  /** Settings that register a channel against the fake. */
  settings(fake: TFake): Record<string, unknown>;
  /** Push providers: how the provider delivers a customer's messages to the webhook. */
  inbound?: {
    /** Who writes, in the ids the provider uses. */
    customer: { chatId: string; userId: string };
    /** The headers the provider authenticates `rawBody` with, for the channel registered against `fake`. */
    signedHeaders(fake: TFake, rawBody: string): Record<string, string>;
    /** A body shaped as the provider sends it, carrying one new customer message. */
    message(fake: TFake): string;
    /** Where the provider batches: new messages around one event the service leaves out, and how many are new. */
    batchWithOddEvent?(fake: TFake): { body: string; newMessages: number };
  };
  /** Providers that deliver replies. */
  outbound?: {
    recipient: { externalChatId: string; recipientExternalId: string };
    /** Providers that speak HTTP: the fake answers the next send with `failure`. */
    failNextSend?(fake: TFake, failure: ProviderFailure): void;
  };
}

const FIXTURE_SUFFIX = '.contract-fixture.ts';

/** Every provider's fixture, found by name: a new provider is covered by adding its own fixture file. */
export function providerContractFixtures(): ProviderContractFixture[] {
  const folder = join(__dirname, '..', 'providers');
  return readdirSync(folder)
    .filter((name) => name.endsWith(FIXTURE_SUFFIX))
    .sort()
    .map(
      (name) => jest.requireActual<{ contractFixture: ProviderContractFixture }>(join(folder, name)).contractFixture,
    );
}

/** `sha256=<hex HMAC-SHA256>` of the raw body, written independently of the code under test. */
export function hmacSha256Header(rawBody: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}

/** Registers a channel of `code` through the admin API; its id. */
export async function registerChannel(sut: TestApp, code: string, settings: Record<string, unknown>): Promise<string> {
  const response = await sut
    .admin()
    .post('/admin/channels')
    .send({ name: `${code} channel`, provider: code, settings });
  expect([response.status, response.body]).toEqual([201, expect.objectContaining({ provider: code })]);
  return response.body.id as string;
}

/** Registering a Telegram channel needs a public HTTPS webhook URL. */
const CONTRACT_ENV = { PUBLIC_URL: 'https://chat.example.com', PROVIDER_HTTP_TIMEOUT_MS: '2000' };

const EXPECTED_FAILURES: [ProviderFailure, Partial<ProviderError>][] = [
  ['rate-limited', { code: 'RATE_LIMITED', retryAfterMs: RETRY_AFTER_SECONDS * 1000 }],
  ['unavailable', { code: 'TEMPORARY' }],
  ['credentials-refused', { code: 'AUTH_FAILED' }],
];

/** The promises every provider keeps, checked against the running service and the provider's fake API. */
export function describeProviderContract<TFake extends ProviderFake>(fixture: ProviderContractFixture<TFake>): void {
  const { inbound, outbound } = fixture;

  describe(`the ${fixture.code} provider contract`, () => {
    let fake: TFake;
    let sut: TestApp;
    let workers: ProviderWorkers;
    let channel: ChannelContext;

    beforeAll(async () => {
      fake = await fixture.startFake();
      sut = await startTestApp(CONTRACT_ENV);
      const channelId = await registerChannel(sut, fixture.code, fixture.settings(fake));
      workers = sut.app.get(ProviderRegistry).get(fixture.code);
      channel = (await sut.app.get(ChannelContextLoader).load(channelId)).context;
    });

    afterAll(async () => {
      await sut?.close();
      await fake?.stop();
    });

    /** The values of the settings the provider marks secret: they must never show in a message. */
    function expectNoSecretIn(text: string): void {
      const settings = channel.settings as Record<string, unknown>;
      const secrets = secretSettingFields(workers.registration.settingsType).map((field) => settings[field]);
      for (const secret of secrets.filter((value): value is string => typeof value === 'string' && value !== '')) {
        expect(text).not.toContain(secret);
      }
    }

    const postWebhook = (rawBody: string, headers: Record<string, string>) =>
      request(sut.app.getHttpServer())
        .post(`/webhooks/${channel.id}`)
        .set({ 'content-type': 'application/json', ...headers })
        .send(rawBody);

    const inboundMessageCount = async () =>
      Number(
        (
          await sut.db.query(`SELECT count(*) AS n FROM messages WHERE channel_id = $1 AND direction = 'in'`, [
            channel.id,
          ])
        ).rows[0].n,
      );

    describe('registration', () => {
      it('declares its display name, settings class and capabilities, which the admin API lists', async () => {
        const { displayName, settingsType, capabilities } = workers.registration;

        expect(displayName).toMatch(/\S/);
        expect(typeof settingsType).toBe('function');
        expect(capabilities).toMatchObject({
          maxTextLength: expect.any(Number),
          outboundAttachments: expect.any(Boolean),
          editOwnMessages: expect.any(Boolean),
          deleteOwnMessages: expect.any(Boolean),
          groupChats: expect.any(Boolean),
          delivery: inbound ? 'push' : 'pull',
          signature: expect.stringMatching(/\S/),
        });
        expect(capabilities.maxTextLength).toBeGreaterThan(0);
        const { body } = await sut.admin().get('/admin/providers').expect(200);
        expect(body.find((provider: { code: string }) => provider.code === fixture.code)).toMatchObject({
          name: displayName,
          available: true,
          capabilities: JSON.parse(JSON.stringify(capabilities)),
        });
      });

      it('refuses empty settings with 400, naming a settings field', async () => {
        const response = await sut
          .admin()
          .post('/admin/channels')
          .send({ name: 'no settings', provider: fixture.code, settings: {} });

        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({
          code: 'VALIDATION_FAILED',
          field: expect.stringMatching(/^settings\.\w+/),
        });
      });
    });

    if (inbound) {
      describe('inbound (push)', () => {
        it('refuses a request without its signature with 401 INVALID_SIGNATURE, storing nothing', async () => {
          const before = await inboundMessageCount();

          const response = await postWebhook(inbound.message(fake), {});

          expect([response.status, response.body.code]).toEqual([401, 'INVALID_SIGNATURE']);
          expect(await inboundMessageCount()).toBe(before);
        });

        it('refuses a request with a wrong signature with 401 INVALID_SIGNATURE, naming no secret', async () => {
          const before = await inboundMessageCount();
          const body = inbound.message(fake);
          const forged = Object.fromEntries(
            Object.entries(inbound.signedHeaders(fake, body)).map(([name, value]) => [name, tampered(value)]),
          );

          const response = await postWebhook(body, forged);

          expect([response.status, response.body.code]).toEqual([401, 'INVALID_SIGNATURE']);
          expectNoSecretIn(JSON.stringify(response.body));
          expect(await inboundMessageCount()).toBe(before);
        });

        it('stores a correctly signed message shaped as the provider sends it', async () => {
          const before = await inboundMessageCount();
          const body = inbound.message(fake);

          const response = await postWebhook(body, inbound.signedHeaders(fake, body));

          expect([response.status, response.body]).toEqual([200, expect.objectContaining({ stored: 1 })]);
          expect(await inboundMessageCount()).toBe(before + 1);
        });

        const { batchWithOddEvent } = inbound;
        if (batchWithOddEvent) {
          it('stores every new message of a batch around an event it leaves out', async () => {
            const before = await inboundMessageCount();
            const { body, newMessages } = batchWithOddEvent(fake);

            const response = await postWebhook(body, inbound.signedHeaders(fake, body));

            expect([response.status, response.body]).toEqual([200, expect.objectContaining({ stored: newMessages })]);
            expect(await inboundMessageCount()).toBe(before + newMessages);
          });
        }

        it('simulates for the CLI a request that its own income worker verifies and parses', () => {
          const { chatId, userId } = inbound.customer;
          expect(workers.simulator).toBeDefined();
          const simulated = workers.simulator!.simulate(
            { chatId, from: { id: userId, name: 'Ada Lovelace' }, text: 'Where is my order?' },
            channel,
          );

          expect(() => workers.income.verify(simulated, channel)).not.toThrow();
          expect(workers.income.parse(simulated.body, channel)).toEqual([
            expect.objectContaining({
              kind: 'message',
              externalChatId: chatId,
              sender: expect.objectContaining({ externalId: userId }),
              text: 'Where is my order?',
            }),
          ]);
        });
      });
    } else {
      describe('inbound (pull)', () => {
        it('is polled, and refuses every webhook request with 401 INVALID_SIGNATURE', async () => {
          expect(workers.poller).toBeDefined();
          expect(workers.simulator).toBeUndefined();

          const response = await postWebhook('{}', {});

          expect([response.status, response.body.code]).toEqual([401, 'INVALID_SIGNATURE']);
        });
      });
    }

    if (outbound) {
      describe('outbound', () => {
        const reply = () => ({
          id: randomUUID(),
          ...outbound.recipient,
          text: 'Your parcel left our warehouse today.',
          attachments: [],
        });

        it('sends a text reply and answers its external id', async () => {
          await expect(workers.outcome.send(reply(), channel)).resolves.toEqual({ externalId: expect.any(String) });
        });

        const { failNextSend } = outbound;
        if (failNextSend) {
          it.each(EXPECTED_FAILURES)(
            'classifies a %s answer of its API as %o, naming no secret',
            async (failure, expected) => {
              failNextSend(fake, failure);

              const error: unknown = await workers.outcome.send(reply(), channel).catch((thrown: unknown) => thrown);

              expect(error).toBeInstanceOf(ProviderError);
              expect(error).toMatchObject(expected);
              expectNoSecretIn((error as ProviderError).message);
            },
          );
        }
      });
    }
  });
}

/** The same header made wrong: its last character changed. */
function tampered(value: string): string {
  return value.replace(/.$/, (last) => (last === '0' ? '1' : '0'));
}
