import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signBody } from '../src/providers/webhook/webhook.signature';
import { COMPILE_TIMEOUT_MS, CompiledService, compileService } from './support/compiled-service';
import { FakeReceiver } from './support/fake-receiver';
import { runToExit } from './support/run-to-exit';
import { PROJECT_ROOT } from './support/service-process';
import { ADMIN_TOKEN, SECRETS_KEY, startTestApp, TestApp } from './support/test-app';
import { createTestDatabase } from './support/test-database';
import { inboundBody, postSigned, registerWebhookChannel, WEBHOOK_SECRET } from './support/webhook-channel';

/**
 * `npm run cli`, as a person runs it: each command in its own process on the service's
 * configuration, against a database an in-process service prepared and then left. The service is
 * closed before any command runs, so what gets delivered is delivered by the CLI. The CLI is
 * compiled once and its commands run one at a time, so that no deadline depends on how many
 * processes share the machine: each command has its own, and each hook the sum of its commands'.
 */

const PUBLIC_URL = 'https://chat.example.com';
const SANDBOX_TOKEN = 'sandbox-token';
/** One command: a Node process, a database connection, at most one provider call (about 1.5 s on an idle machine). */
const CLI_RUN_TIMEOUT_MS = 30_000;
/** The in-process service that registers the channels and opens the chats. */
const PREPARE_TIMEOUT_MS = 60_000;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  json(): any;
}

async function runCli(compiled: CompiledService, env: Record<string, string>, args: string[]): Promise<CliRun> {
  const inherited = { ...process.env };
  for (const name of ['DATABASE_URL', 'ADMIN_TOKEN', 'SECRETS_KEY', 'PUBLIC_URL', 'DATA_DIR']) delete inherited[name];
  const result = await runToExit(process.execPath, [compiled.file('src/cli/main.js'), ...args], {
    cwd: PROJECT_ROOT,
    env: { ...inherited, ...compiled.env, ...env },
    timeoutMs: CLI_RUN_TIMEOUT_MS,
  });
  return {
    ...result,
    json() {
      try {
        return JSON.parse(result.stdout);
      } catch {
        throw new Error(
          `cli ${args.join(' ')} printed no JSON (exit ${result.code})\n${result.stdout}\n${result.stderr}`,
        );
      }
    },
  };
}

describe('npm run cli', () => {
  let database: { url: string; drop(): Promise<void> };
  let receiver: FakeReceiver;
  let dataDir: string;
  let env: Record<string, string>;
  let compiled: CompiledService;
  const channel = { sandbox: '', brokenSandbox: '', shop: '', rejecting: '' };
  const chat = { shop: '', rejecting: '' };
  const cli = (...args: string[]) => runCli(compiled, env, args);

  /** Runs the commands one after another, keyed as given. */
  async function runEach(commands: Record<string, string[]>): Promise<Record<string, CliRun>> {
    const runs: Record<string, CliRun> = {};
    for (const [name, args] of Object.entries(commands)) runs[name] = await cli(...args);
    return runs;
  }

  /** Registers the channels and opens two chats through the real API, then stops that service. */
  async function prepareWithTheService(): Promise<void> {
    const service: TestApp = await startTestApp({}, database.url);
    try {
      const register = async (name: string, settings: Record<string, unknown>) =>
        (await service.admin().post('/admin/channels').send({ name, provider: 'test', settings }).expect(201)).body
          .id as string;
      channel.sandbox = await register('Sandbox', { token: SANDBOX_TOKEN });
      channel.brokenSandbox = await register('Broken sandbox', { token: SANDBOX_TOKEN, failWith: 'token revoked' });
      channel.shop = (await registerWebhookChannel(service, receiver)).id;
      channel.rejecting = (await registerWebhookChannel(service, receiver, { url: `${receiver.url}/reject` })).id;
      for (const [key, channelId] of [
        ['shop', channel.shop],
        ['rejecting', channel.rejecting],
      ] as const) {
        await postSigned(service, channelId, inboundBody({ id: `m-${key}`, chatId: `order-${key}` })).expect(200);
        const { rows } = await service.db.query<{ id: string }>(`SELECT id FROM chats WHERE channel_id = $1`, [
          channelId,
        ]);
        chat[key] = rows[0].id;
      }
    } finally {
      await service.close();
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await FakeReceiver.start();
    receiver.on('POST', '/outbound', () => ({ status: 200, body: { id: 'rcv-1' } }));
    // The first reply to the rejecting receiver is refused; the replayed one is taken.
    receiver.queue('POST', '/reject', { status: 400, body: { error: 'unknown chat' } });
    receiver.on('POST', '/reject', () => ({ status: 200, body: { id: 'rcv-2' } }));
    dataDir = mkdtempSync(join(tmpdir(), 'omni-cli-'));
    env = {
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      ADMIN_TOKEN,
      SECRETS_KEY,
      DATA_DIR: dataDir,
      PUBLIC_URL,
      LOG_LEVEL: 'warn',
      WORKER_POLL_INTERVAL_MS: '50',
      PROVIDER_HTTP_TIMEOUT_MS: '2000',
    };
    // The compiler runs in its own process meanwhile.
    [compiled] = await Promise.all([compileService(), prepareWithTheService()]);
  }, COMPILE_TIMEOUT_MS + PREPARE_TIMEOUT_MS);

  afterAll(async () => {
    compiled?.remove();
    await receiver?.stop();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  describe('independent commands', () => {
    let run: Record<string, CliRun>;
    /** A function: the ids it names exist once the outer beforeAll has run. */
    const commands = (): Record<string, string[]> => ({
      providers: ['--json', 'providers'],
      channels: ['channels'],
      testOk: ['test-channel', channel.sandbox],
      testFailing: ['--json', 'test-channel', channel.brokenSandbox],
      simulate: [
        '--json',
        'simulate-inbound',
        channel.sandbox,
        '--chat',
        'c-1',
        '--from',
        'u-1',
        '--name',
        'Grace',
        '--text',
        'Hi from the CLI',
        '--id',
        't-1',
      ],
      sendOk: ['--json', 'send', chat.shop, '--text', 'It ships today.'],
      sendRejected: ['send', chat.rejecting, '--text', 'Hello back'],
      migrate: ['migrate'],
      unknownCommand: ['bogus'],
      missingOption: ['send', chat.shop],
    });

    beforeAll(
      async () => {
        run = await runEach(commands());
      },
      Object.keys(commands()).length * CLI_RUN_TIMEOUT_MS,
    );

    it('providers: lists every provider with its capabilities', () => {
      expect(run.providers.code).toBe(0);
      const providers = run.providers.json();
      expect(providers.map((provider: { code: string }) => provider.code)).toEqual(
        expect.arrayContaining(['test', 'webhook']),
      );
      expect(providers.find((provider: { code: string }) => provider.code === 'webhook')).toMatchObject({
        name: 'Custom webhook',
        available: true,
        capabilities: { maxTextLength: 20000, outboundAttachments: true, delivery: 'push' },
      });
    });

    it('channels: shows status and webhook URL from PUBLIC_URL, and never a secret', () => {
      expect(run.channels.code).toBe(0);
      expect(run.channels.stdout).toContain(`${channel.shop}  Shop site (webhook)`);
      expect(run.channels.stdout).toContain(`webhook:  ${PUBLIC_URL}/webhooks/${channel.shop}`);
      expect(run.channels.stdout).toContain('status:   active, connected');
      expect(run.channels.stdout).toContain('"secret":"********"');
      expect(run.channels.stdout).not.toContain(WEBHOOK_SECRET);
      expect(run.channels.stdout).not.toContain(SANDBOX_TOKEN);
    });

    it("test-channel: exit 0 when the provider accepts the channel's credentials", () => {
      expect(run.testOk).toMatchObject({ code: 0, stdout: 'ok: test accepts the credentials of "Sandbox"\n' });
    });

    it('test-channel: exit 1 with the reason when it does not', () => {
      expect(run.testFailing.code).toBe(1);
      expect(run.testFailing.json()).toEqual({
        channelId: channel.brokenSandbox,
        provider: 'test',
        ok: false,
        error: { code: 'AUTH_FAILED', message: 'token revoked' },
      });
    });

    it('simulate-inbound: stores the message through the signed webhook path and names the chat', () => {
      expect(run.simulate.code).toBe(0);
      expect(run.simulate.json()).toMatchObject({
        channelId: channel.sandbox,
        stored: 1,
        duplicates: 0,
        chatId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
    });

    it("send: waits until the webhook receiver took the reply, signed with the channel's secret", () => {
      expect(run.sendOk.code).toBe(0);
      expect(run.sendOk.json()).toMatchObject({
        chatId: chat.shop,
        outcome: 'sent',
        status: 'sent',
        providerMessageId: 'rcv-1',
      });
      const [delivered] = receiver.received('POST', '/outbound');
      expect(delivered.json()).toMatchObject({ chatId: 'order-shop', text: 'It ships today.' });
      expect(delivered.headers['x-signature-256']).toBe(signBody(delivered.rawBody, WEBHOOK_SECRET));
    });

    it('send: exit 1 with the receiver’s reason when it refuses the reply', () => {
      expect(run.sendRejected.code).toBe(1);
      expect(run.sendRejected.stdout).toMatch(
        new RegExp(`^failed: message \\d+ in chat ${chat.rejecting}: HTTP 400: unknown chat\\n$`),
      );
    });

    it('migrate: has nothing to do on a migrated database', () => {
      expect(run.migrate).toMatchObject({ code: 0, stdout: 'nothing to do: the schema is up to date\n' });
    });

    it('exits 2 with the usage on stderr for an unknown command or a missing option', () => {
      expect(run.unknownCommand).toMatchObject({ code: 2, stdout: '' });
      expect(run.unknownCommand.stderr).toContain("error: unknown command 'bogus'");
      expect(run.unknownCommand.stderr).toContain('Usage: npm run cli -- [options] [command]');
      expect(run.missingOption).toMatchObject({ code: 2, stdout: '' });
      expect(run.missingOption.stderr).toContain("error: required option '--text <text>' not specified");
      expect(run.missingOption.stderr).toContain('Usage: npm run cli -- send [options] <chatId>');
    });

    describe('then', () => {
      const next: Record<string, CliRun> = {};

      beforeAll(async () => {
        next.showChat = await cli('show-chat', run.simulate.json().chatId);
        next.deadLetters = await cli('--json', 'dead-letters');
        const [failed] = next.deadLetters.json().messages as { id: string }[];
        next.retry = await cli('retry', 'message', failed.id);
      }, 3 * CLI_RUN_TIMEOUT_MS);

      it('show-chat: shows the chat and the simulated message', () => {
        expect(next.showChat.code).toBe(0);
        expect(next.showChat.stdout).toContain('channel:  Sandbox (test), external chat id c-1');
        expect(next.showChat.stdout).toContain('contact:  Grace');
        expect(next.showChat.stdout).toMatch(/#\d+ +\S+ \S+ +in +contact +received +Hi from the CLI/);
      });

      it('dead-letters: lists the refused reply', () => {
        expect(next.deadLetters.code).toBe(0);
        expect(next.deadLetters.json()).toEqual({
          messages: [expect.objectContaining({ chatId: chat.rejecting, error: 'HTTP 400: unknown chat' })],
          jobs: [],
        });
      });

      it('retry message: queues the refused reply again and reports that it was sent this time', () => {
        const [failed] = next.deadLetters.json().messages;

        expect(next.retry.stdout).toBe(
          `sent: message ${failed.id} in chat ${chat.rejecting} (provider message id rcv-2)\n`,
        );
        expect(next.retry.code).toBe(0);
        expect(receiver.received('POST', '/reject')).toHaveLength(2);
      });
    });
  });
});
