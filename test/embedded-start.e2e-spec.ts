import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from './support/eventually';
import { freePort, freshDataDir, ServiceProcess } from './support/service-process';

/**
 * The README's start command on a fresh clone: no DATABASE_URL, so the service starts its own
 * embedded Postgres in DATA_DIR, generates its secrets there, and shuts everything down on SIGTERM.
 * It runs the real entry point in a child process, as a person would.
 */

const START_TIMEOUT_MS = 90_000;
const EXIT_TIMEOUT_MS = 20_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The embedded postmaster's pid while it runs (Postgres removes postmaster.pid on a clean shutdown). */
function postmasterPid(dataDir: string): number | undefined {
  const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

async function stopLeftoverPostgres(dataDir: string): Promise<void> {
  const pid = postmasterPid(dataDir);
  if (pid === undefined) return;
  process.kill(pid, 'SIGQUIT');
  const stopped = await eventually(async () => !isAlive(pid)).catch(() => false);
  if (!stopped) process.kill(pid, 'SIGKILL');
}

describe('Starting the service without DATABASE_URL (embedded Postgres)', () => {
  let dataDir: string;
  let port: number;
  let sut: ServiceProcess;
  let startSeconds: number;

  beforeAll(async () => {
    dataDir = freshDataDir();
    const startedAt = Date.now();
    sut = new ServiceProcess({
      DATA_DIR: dataDir,
      PORT: '0',
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      LOG_LEVEL: 'log',
      NODE_ENV: 'development',
    });
    port = await sut.listeningPort(START_TIMEOUT_MS);
    startSeconds = (Date.now() - startedAt) / 1000;
    console.log(`embedded start: listening after ${startSeconds.toFixed(1)} s`);
  }, START_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    if (sut?.running) sut.kill();
    await sut?.exitWithin(5_000);
    if (dataDir) {
      await stopLeftoverPostgres(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('answers /health with the database up', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/health`);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('generates an admin token in DATA_DIR that opens the admin API, and never prints it', async () => {
    const tokenFile = join(dataDir, 'admin-token');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(24);

    const response = await fetch(`http://127.0.0.1:${port}/admin/providers`, {
      headers: { Authorization: `Bearer ${token}` },
    });

    expect(response.status).toBe(200);
    const providers = (await response.json()) as { code: string }[];
    expect(providers.map((provider) => provider.code)).toEqual(expect.arrayContaining(['test', 'webhook']));
    expect(sut.stdout).toContain(tokenFile);
    expect(sut.stdout).not.toContain(token);
    expect(sut.stderr).not.toContain(token);
  });

  it(
    'exits on SIGTERM and stops its embedded Postgres',
    async () => {
      const postmaster = postmasterPid(dataDir);
      expect(postmaster).toBeDefined();

      sut.child.kill('SIGTERM');
      const exit = await sut.exitWithin(EXIT_TIMEOUT_MS);

      expect(exit).not.toBe('timeout');
      expect(isAlive(postmaster!)).toBe(false);
      // 0 for a clean exit, null when Nest re-raises SIGTERM after closing the app.
      if (exit !== 'timeout') expect([0, null]).toContain(exit.code);
      const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
      expect(sut.stdout + sut.stderr).not.toContain(token);
    },
    EXIT_TIMEOUT_MS + 10_000,
  );
});

describe('Starting the service with a malformed environment', () => {
  let dataDir: string;
  let sut: ServiceProcess;

  afterAll(async () => {
    if (sut?.running) sut.kill();
    await sut?.exitWithin(5_000);
    if (dataDir) {
      await stopLeftoverPostgres(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  it(
    'exits with code 1 and one stderr line naming PORT',
    async () => {
      dataDir = freshDataDir();
      sut = new ServiceProcess({
        DATA_DIR: dataDir,
        PORT: 'abc',
        EMBEDDED_POSTGRES_PORT: String(await freePort()),
        LOG_LEVEL: 'log',
        NODE_ENV: 'development',
      });

      const exit = await sut.exitWithin(EXIT_TIMEOUT_MS);

      expect(exit).toEqual({ code: 1, signal: null });
      const lines = sut.stderr.split('\n').filter((line) => line.trim() !== '');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/\bPORT\b/);
      expect(existsSync(join(dataDir, 'postgres'))).toBe(false);
    },
    EXIT_TIMEOUT_MS + 10_000,
  );
});
