import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { AdminApi } from './admin-api';
import { createDatabase, dropDatabase, freePort, openPostgresServer } from './postgres';
import { BenchResults, formatTable, toResults, writeResults } from './report';
import { BenchContext, Measurement, Scenario } from './scenario';
import { AgentListScenario } from './scenarios/agent-list.scenario';
import { DrainScenario } from './scenarios/drain.scenario';
import { GrowthScenario } from './scenarios/growth';
import { HistoryScenario } from './scenarios/history.scenario';
import { IngestScenario } from './scenarios/ingest.scenario';
import { flushSeedWrites, vacuumAnalyze, waitForDueJobs } from './seed';
import { buildService, ServiceProcess } from './service-process';
import { FULL_SIZES, SMOKE_SIZES } from './sizes';
import { Teardown } from './teardown';

const RESULTS_FILE = resolve(__dirname, 'results.json');
const BUILD_ROOT = resolve(__dirname, '..', 'node_modules', '.cache', 'omni-bench');
const ADMIN_TOKEN = randomBytes(24).toString('hex');

/** The scenario names `--only` takes, in the order they run after `drain_alone`. */
const SCENARIO_NAMES = ['ingest', 'history', 'agent_list', 'drain', 'growth'];
const USAGE = `options: --smoke, --cpu-prof, --only=${SCENARIO_NAMES.join(',')}`;

interface BenchOptions {
  smoke: boolean;
  cpuProfile: boolean;
  scenarios: string[];
}

function parseOptions(args: string[]): BenchOptions {
  const options: BenchOptions = { smoke: false, cpuProfile: false, scenarios: SCENARIO_NAMES };
  for (const arg of args) {
    if (arg === '--smoke') options.smoke = true;
    else if (arg === '--cpu-prof') options.cpuProfile = true;
    else if (arg.startsWith('--only=')) options.scenarios = arg.slice('--only='.length).split(',');
    else throw new Error(`unknown option ${arg} (${USAGE})`);
  }
  const unknown = options.scenarios.filter((name) => !SCENARIO_NAMES.includes(name));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')} (${USAGE})`);
  const chosen = new Set(options.scenarios);
  if (chosen.has('growth') && !(chosen.has('ingest') && chosen.has('drain'))) {
    throw new Error('growth compares with ingest and drain: run them too');
  }
  return options;
}

const startedAt = performance.now();
function progress(line: string): void {
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1).padStart(6);
  // Other work on the machine lowers every figure: the load average says how much there was.
  console.log(`[bench ${seconds} s, load ${loadavg()[0].toFixed(1)}] ${line}`);
}

interface RunningBench {
  service: ServiceProcess;
  db: Pool;
  databaseUrl: string;
  cpuProfileDir?: string;
}

async function bench(options: BenchOptions, teardown: Teardown): Promise<number> {
  progress(`${options.smoke ? 'smoke run (tiny sizes, no thresholds)' : 'full run'} on ${describeMachine()}`);
  const { service, db, databaseUrl, cpuProfileDir } = await startEverything(options, teardown);
  const context: BenchContext = {
    sizes: options.smoke ? SMOKE_SIZES : FULL_SIZES,
    db,
    databaseUrl,
    serviceUrl: service.url,
    admin: new AdminApi(service.url, ADMIN_TOKEN),
    progress,
  };
  const measurements = await measure(context, options.scenarios, service, teardown);
  const results = toResults(measurements, service.peakRssMb(), options.smoke);
  printReport(results, measurements, service, options.smoke);
  if (cpuProfileDir) {
    console.log(`CPU profile of the service: ${cpuProfileDir} (written when it stops; the profiler adds to its RSS)`);
  }
  // A partial or smoke run would overwrite the figures of the last full run.
  if (!options.smoke && options.scenarios.length === SCENARIO_NAMES.length) {
    writeResults(RESULTS_FILE, results);
    console.log(`results: ${RESULTS_FILE}`);
  }
  const problems = measurements.flatMap((m) => m.problems.map((problem) => `${m.name}: ${problem}`));
  for (const problem of problems) console.error(`PROBLEM ${problem}`);
  return problems.length > 0 ? 1 : 0;
}

/** Builds the service, opens Postgres and a fresh database, and starts the service on it; each step is undone by `teardown`. */
async function startEverything(options: BenchOptions, teardown: Teardown): Promise<RunningBench> {
  progress('building the service (tsc --noCheck)');
  const workDir = mkdtempSync(join(tmpdir(), 'omni-bench-'));
  // The embedded Postgres runs as the postgres user when we are root: it must be able to enter this folder.
  chmodSync(workDir, 0o755);
  teardown.add(() => rmSync(workDir, { recursive: true, force: true }));
  const buildDir = join(BUILD_ROOT, `build-${process.pid}`);
  teardown.add(() => rmSync(buildDir, { recursive: true, force: true }));
  await buildService(buildDir);

  progress(process.env.DATABASE_URL ? 'using the Postgres server in DATABASE_URL' : 'starting an embedded Postgres');
  const server = await openPostgresServer(workDir, () => undefined);
  teardown.add(() => server.stop());
  const databaseName = `omni_bench_${randomBytes(4).toString('hex')}`;
  const databaseUrl = await createDatabase(server.url, databaseName);
  const db = new Pool({ connectionString: databaseUrl, max: 4 });
  // Dropping the database WITH (FORCE) at the end ends the pool's idle connections: expected.
  db.on('error', () => undefined);
  teardown.add(() => db.end());
  teardown.add(() => dropDatabase(server.url, databaseName));

  progress(`starting the service (node ${join(buildDir, 'src/main.js')}); it applies the migrations`);
  const cpuProfileDir = options.cpuProfile ? mkdtempSync(join(tmpdir(), 'omni-bench-profile-')) : undefined;
  const service = await ServiceProcess.start({
    buildDir,
    port: await freePort(),
    logFile: join(workDir, 'service.log'),
    cpuProfileDir,
    env: serviceEnvironment(databaseUrl, join(workDir, 'service-data')),
  });
  teardown.add(() => service.stop());
  return { service, db, databaseUrl, cpuProfileDir };
}

function printReport(results: BenchResults, measurements: Measurement[], service: ServiceProcess, smoke: boolean) {
  console.log(`\n${formatTable(results, smoke)}\n`);
  for (const line of measurements.flatMap((m) => m.details)) console.log(line);
  const rssByPhase = [...service.rssPeaksByPhase()].map(([phase, mb]) => `${phase} ${Math.round(mb)} MB`);
  console.log(`service RSS, highest sample per phase: ${rssByPhase.join(', ')}`);
  console.log(`machine at the end: ${describeMachine()}`);
}

/**
 * `drain_alone` first, on the fresh database; then every chosen scenario is prepared (seeded), and
 * each runs in turn; `growth` last, once the others have their figures on the smaller table.
 */
async function measure(
  context: BenchContext,
  names: string[],
  service: ServiceProcess,
  teardown: Teardown,
): Promise<Measurement[]> {
  const measurements: Measurement[] = [];
  const run = async (scenario: Scenario) => {
    service.enterPhase(scenario.name);
    measurements.push(...(await scenario.run(context)));
    await waitForDueJobs(context.db);
  };
  const { alone, seeded } = chooseScenarios(names, () => measurements);
  teardown.add(() => Promise.all([...alone, ...seeded].map((scenario) => scenario.stop())));
  for (const scenario of alone) {
    await scenario.prepare(context);
    await run(scenario);
  }
  service.enterPhase('seeding');
  for (const scenario of seeded) await scenario.prepare(context);
  context.progress('VACUUM (ANALYZE) and CHECKPOINT after seeding');
  await vacuumAnalyze(context.db);
  await flushSeedWrites(context);
  for (const scenario of seeded) await run(scenario);
  return measurements.map((m) => (m.name === 'drain' ? relativeTo(m, measurements, 'drain_alone') : m));
}

/** `alone` runs on the fresh database before anything is seeded; `seeded` after every one of them is prepared. */
function chooseScenarios(names: string[], measured: () => Measurement[]): { alone: Scenario[]; seeded: Scenario[] } {
  const chosen = new Set(names);
  const ingest = new IngestScenario();
  const alone = chosen.has('drain') ? [new DrainScenario('drain_alone', true)] : [];
  const seeded = [
    ...(chosen.has('ingest') ? [ingest] : []),
    ...(chosen.has('history') ? [new HistoryScenario()] : []),
    ...(chosen.has('agent_list') ? [new AgentListScenario()] : []),
    ...(chosen.has('drain') ? [new DrainScenario('drain')] : []),
    ...(chosen.has('growth') ? [new GrowthScenario(ingest, measured)] : []),
  ];
  return { alone, seeded };
}

/** The measurement with the figures of `reference` (measured in the same run) as its baseline. */
function relativeTo(measurement: Measurement, all: Measurement[], reference: string): Measurement {
  const found = all.find((m) => m.name === reference);
  return { ...measurement, baseline: found?.value ?? null, baselineP99Ms: found?.p99Ms ?? null };
}

function describeMachine(): string {
  return `${cpus().length} cores, load average ${loadavg()[0].toFixed(2)}`;
}

/** NODE_ENV=production would also demand a real PUBLIC_URL; development with every secret given is the same service. */
function serviceEnvironment(databaseUrl: string, dataDir: string): Record<string, string> {
  return {
    NODE_ENV: 'development',
    ADMIN_TOKEN,
    SECRETS_KEY: randomBytes(32).toString('hex'),
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    WORKER_POLL_INTERVAL_MS: '500',
    // Capacity, not abuse protection, is measured: a few tokens here send what hundreds of agents would. The limiter still runs.
    API_RATE_LIMIT_PER_MINUTE: '1000000000',
    // Telegram registration insists on an https webhook URL; the fake Bot API never calls it.
    PUBLIC_URL: 'https://omni-bench.invalid',
  };
}

async function main(): Promise<void> {
  const teardown = new Teardown();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void teardown.run().finally(() => process.exit(130)));
  }
  let exitCode = 1;
  try {
    exitCode = await bench(parseOptions(process.argv.slice(2)), teardown);
  } catch (error) {
    if (teardown.started) console.error('bench interrupted');
    else console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    progress('cleaning up');
    await teardown.run();
  }
  process.exit(exitCode);
}

void main();
