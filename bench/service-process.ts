import { ChildProcess, execFile, spawn } from 'node:child_process';
import { openSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const REPO_ROOT = resolve(__dirname, '..');
const RSS_SAMPLE_INTERVAL_MS = 200;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * Compiles src/ and migrations/ to JavaScript in `outDir` without type-checking (tsc --noCheck):
 * about 2.5 s, and unaffected by type errors in work in progress. The service then runs as plain
 * `node`, as in production; under ts-node its RSS would also hold the TypeScript compiler (~90 MB).
 */
export async function buildService(outDir: string): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  try {
    await promisify(execFile)(
      process.execPath,
      [
        join(REPO_ROOT, 'node_modules/typescript/bin/tsc'),
        ...['-p', join(REPO_ROOT, 'tsconfig.build.json'), '--outDir', outDir],
        ...['--noCheck', '--incremental', 'false', '--sourceMap', 'false'],
      ],
      { cwd: REPO_ROOT },
    );
  } catch (error) {
    // tsc reports on stdout, which the error's message leaves out.
    throw new Error(`tsc could not compile the service:\n${(error as { stdout?: string }).stdout ?? String(error)}`);
  }
}

export interface ServiceStartOptions {
  buildDir: string;
  env: Record<string, string>;
  port: number;
  logFile: string;
  /** Write a V8 CPU profile of the whole run into this folder. */
  cpuProfileDir?: string;
}

/** The service as a child process: its URL, its memory, and a clean stop. */
export class ServiceProcess {
  private readonly rssByPhase = new Map<string, number>();
  private phase = 'start';
  private readonly sampler: NodeJS.Timeout;
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly logFile: string,
  ) {
    child.once('exit', () => (this.exited = true));
    this.sampler = setInterval(() => this.sampleRss(), RSS_SAMPLE_INTERVAL_MS);
  }

  static async start(options: ServiceStartOptions): Promise<ServiceProcess> {
    const log = openSync(options.logFile, 'a');
    const profiling = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
    // The same heap cap as `npm run start:prod` and the Docker image, so RSS is measured as deployed.
    const child = spawn(
      process.execPath,
      ['--max-old-space-size=160', ...profiling, join(options.buildDir, 'src/main.js')],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', ...options.env, PORT: String(options.port) },
        stdio: ['ignore', log, log],
      },
    );
    const service = new ServiceProcess(child, `http://127.0.0.1:${options.port}`, options.logFile);
    try {
      await service.waitUntilHealthy();
    } catch (error) {
      await service.stop();
      throw error;
    }
    return service;
  }

  /** Later RSS samples are attributed to this phase. */
  enterPhase(name: string): void {
    this.phase = name;
  }

  /** Highest RSS seen per phase, in MB (sampled). */
  rssPeaksByPhase(): ReadonlyMap<string, number> {
    return this.rssByPhase;
  }

  /** The kernel's high-water mark of the process's RSS (VmHWM), in MB; read it before stop(). */
  peakRssMb(): number | null {
    const peakKb = readStatusKb(this.child.pid, 'VmHWM');
    return peakKb === null ? null : peakKb / 1024;
  }

  logTail(lines = 30): string {
    return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** SIGTERM (the service drains in-flight work), then SIGKILL if it does not exit in time. */
  async stop(): Promise<void> {
    clearInterval(this.sampler);
    if (this.exited) return;
    const exited = new Promise<void>((done) => this.child.once('exit', () => done()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  private sampleRss(): void {
    const rssKb = readStatusKb(this.child.pid, 'VmRSS');
    if (rssKb === null) return;
    this.rssByPhase.set(this.phase, Math.max(this.rssByPhase.get(this.phase) ?? 0, rssKb / 1024));
  }

  private async waitUntilHealthy(): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`the service exited during start:\n${this.logTail()}`);
      if (await answersHealth(this.url)) return;
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(`the service did not answer /health within ${START_TIMEOUT_MS} ms:\n${this.logTail()}`);
  }
}

async function answersHealth(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`)).ok;
  } catch {
    return false;
  }
}

/** A `Vm*` line of /proc/<pid>/status in kB; null where there is no /proc (not Linux) or no process. */
function readStatusKb(pid: number | undefined, field: string): number | null {
  if (pid === undefined) return null;
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}
