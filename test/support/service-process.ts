import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ADMIN_TOKEN, SECRETS_KEY } from './test-app';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');
/** The service's own line once it serves HTTP (not the embedded Postgres's "listening on 127.0.0.1:…"). */
const LISTENING_LINE = /listening on http:\/\/\S+:(\d+); admin token in/;

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/**
 * Starting src/main.ts under ts-node until it listens: about ten seconds of CPU (mostly the
 * TypeScript compiler), so several times that on a busy machine. Suites derive their deadlines from it.
 */
export const SERVICE_START_TIMEOUT_MS = 90_000;

/** A DATA_DIR the `postgres` user can traverse: as root the embedded Postgres runs as that user. */
export function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'omni-embedded-'));
  chmodSync(dir, 0o755);
  return dir;
}

/** The real service entry point (src/main.ts) in a child process, with its output captured. */
export class ServiceProcess {
  stdout = '';
  stderr = '';
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(env: Record<string, string>) {
    const inherited = { ...process.env };
    for (const name of ['DATABASE_URL', 'ADMIN_TOKEN', 'SECRETS_KEY', 'PUBLIC_URL']) delete inherited[name];
    this.child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...inherited, TS_NODE_PROJECT: 'tsconfig.json', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that afterAll can end it and anything it started.
      detached: true,
    });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((done) => this.child.once('exit', (code, signal) => done({ code, signal })));
  }

  get output(): string {
    return `--- stdout ---\n${this.stdout}\n--- stderr ---\n${this.stderr}`;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when stdout matches `text`; rejects if the process exits or time runs out. */
  waitForStdout(text: RegExp, timeoutMs: number): Promise<void> {
    return new Promise((done, fail) => {
      const timer = setTimeout(
        () => finish(new Error(`no "${text}" within ${timeoutMs} ms\n${this.output}`)),
        timeoutMs,
      );
      const onData = () => text.test(this.stdout) && finish();
      const onExit = () => finish(new Error(`exited before printing "${text}"\n${this.output}`));
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.child.stdout!.off('data', onData);
        this.child.off('exit', onExit);
        if (error) fail(error);
        else done();
      };
      this.child.stdout!.on('data', onData);
      this.child.once('exit', onExit);
      onData();
    });
  }

  /**
   * The port the service listens on, once it says so. Started with PORT=0 it binds one the kernel
   * picks: a port found free beforehand may be taken by another process while this one starts.
   */
  async listeningPort(timeoutMs: number): Promise<number> {
    await this.waitForStdout(LISTENING_LINE, timeoutMs);
    return Number(LISTENING_LINE.exec(this.stdout)![1]);
  }

  /** The exit status, or 'timeout' if the process is still running after `timeoutMs`. */
  async exitWithin(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'timeout'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((done) => (timer = setTimeout(() => done('timeout'), timeoutMs)));
    const result = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    return result;
  }

  /** Ends the whole process group, whatever state it is in. */
  kill(): void {
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** The real service on an existing database with the test tokens; resolves once it listens (LOG_LEVEL=log prints that). */
export async function startServiceOn(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<{ service: ServiceProcess; url: string }> {
  const service = new ServiceProcess({
    DATABASE_URL: databaseUrl,
    ADMIN_TOKEN,
    SECRETS_KEY,
    PORT: '0',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'omni-service-')),
    LOG_LEVEL: 'log',
    ...env,
  });
  try {
    return { service, url: `http://127.0.0.1:${await service.listeningPort(SERVICE_START_TIMEOUT_MS)}` };
  } catch (error) {
    service.kill();
    throw error;
  }
}
