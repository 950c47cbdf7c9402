import { Client } from 'pg';

/** Opens one connection to `url` and closes it again; throws what connecting threw (`code` ECONNREFUSED: nothing listens). */
export async function connectOnce(url: string, timeoutMs: number): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
  } finally {
    await client.end().catch(() => undefined);
  }
}
