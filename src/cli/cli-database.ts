import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { connectOnce } from '../database/connection-check';
import { startEmbeddedPostgres } from '../database/embedded-postgres.launcher';
import { CliFailure } from './cli-output';

export interface CliDatabase {
  url: string;
  /** Stops the embedded Postgres if this run started it; leaves any other database alone. */
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The service's database: DATABASE_URL, or else the embedded Postgres in DATA_DIR, the one
 * `npm start` uses. A running service already holds that cluster, so it is used as it is; only when
 * nothing listens on EMBEDDED_POSTGRES_PORT does this run start it, and stop it again at the end.
 * The connection is tried first so that a database that is down fails in seconds, not after
 * TypeORM's retries.
 */
export async function openDatabase(config: AppConfig, log: (line: string) => void): Promise<CliDatabase> {
  if (config.env.DATABASE_URL) {
    await checkReachable(config.env.DATABASE_URL, 'DATABASE_URL');
    return { url: config.env.DATABASE_URL, close: async () => undefined };
  }
  const runningUrl = embeddedDatabaseUrl(config.env.EMBEDDED_POSTGRES_PORT);
  if (await isListening(runningUrl)) return { url: runningUrl, close: async () => undefined };
  const embedded = await startEmbeddedPostgres(
    join(config.dataDir, 'postgres'),
    config.env.EMBEDDED_POSTGRES_PORT,
    log,
  );
  return { url: embedded.url, close: () => embedded.stop() };
}

/** The URL startEmbeddedPostgres answers with (user, password and database are fixed there). */
function embeddedDatabaseUrl(port: number): string {
  return `postgres://postgres:embedded@127.0.0.1:${port}/omnichannel`;
}

async function isListening(url: string): Promise<boolean> {
  try {
    await connectOnce(url, CONNECT_TIMEOUT_MS);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'ECONNREFUSED') return false;
    throw new CliFailure(
      'DATABASE_UNAVAILABLE',
      `the embedded Postgres on ${withoutPassword(url)} answers but refuses us: ${(error as Error).message}`,
    );
  }
}

async function checkReachable(url: string, name: string): Promise<void> {
  try {
    await connectOnce(url, CONNECT_TIMEOUT_MS);
  } catch (error) {
    throw new CliFailure(
      'DATABASE_UNAVAILABLE',
      `cannot connect to ${name} (${withoutPassword(url)}): ${reasonOf(error)}`,
    );
  }
}

function reasonOf(error: unknown): string {
  const { message, code } = error as { message?: string; code?: string };
  return message || code || String(error);
}

/** Error messages name the database, never its password. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured URL';
  }
}
