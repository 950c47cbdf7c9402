import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.launcher';

export interface PostgresServer {
  /** A URL of the server; its database part is replaced per use. */
  url: string;
  stop(): Promise<void>;
}

/** The server in DATABASE_URL, else an embedded one started in `workDir` (which the postgres user must be able to enter). */
export async function openPostgresServer(workDir: string, log: (line: string) => void): Promise<PostgresServer> {
  const external = process.env.DATABASE_URL;
  if (external) return { url: external, stop: async () => undefined };
  const dataDir = join(workDir, 'postgres');
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const embedded = await startEmbeddedPostgres(join(dataDir, 'data'), await freePort(), log);
  return { url: embedded.url, stop: () => embedded.stop() };
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  await onMaintenanceDatabase(serverUrl, `CREATE DATABASE ${name}`);
  return databaseUrl(serverUrl, name);
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await onMaintenanceDatabase(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

async function onMaintenanceDatabase(serverUrl: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
