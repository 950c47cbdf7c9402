import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Set by the global setup: the Postgres server the tests use, and a migrated template database on it. */
export const TEST_SERVER_URL_VAR = 'OMNI_TEST_SERVER_URL';
export const TEST_TEMPLATE_VAR = 'OMNI_TEST_TEMPLATE';

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withServer<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database cloned from the migrated template: each test file gets its own. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env[TEST_SERVER_URL_VAR]!;
  const template = process.env[TEST_TEMPLATE_VAR]!;
  const name = `omni_test_${randomBytes(6).toString('hex')}`;
  await withServer(serverUrl, async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        return;
      } catch (error) {
        // Two files cloning the template at the same moment: wait and try again.
        if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
  return {
    url: databaseUrl(serverUrl, name),
    drop: () =>
      withServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}
