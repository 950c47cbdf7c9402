import { INestApplication } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { createApp } from '../../src/app.factory';
import { resolveAppConfig } from '../../src/config/app-config';
import { parseEnvironment } from '../../src/config/environment';
import { createTestDatabase } from './test-database';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const SECRETS_KEY = 'a'.repeat(64);

export interface MappedRoute {
  method: string;
  path: string;
}

export interface TestApp {
  app: INestApplication;
  baseUrl: string;
  databaseUrl: string;
  /** Every endpoint Nest mapped, `path` with `:params`; Fastify's automatic HEAD twins and static-file wildcards left out. */
  routes: MappedRoute[];
  /** A direct connection to the test database, for assertions. */
  db: Client;
  admin(): ReturnType<typeof request.agent>;
  close(): Promise<void>;
}

/**
 * Starts the whole service in-process on a random port: on its own fresh database, or, given
 * `sharedDatabaseUrl`, as one more instance on another test app's database (a second replica).
 */
export async function startTestApp(env: Record<string, string> = {}, sharedDatabaseUrl?: string): Promise<TestApp> {
  const database = sharedDatabaseUrl ? { url: sharedDatabaseUrl, drop: async () => {} } : await createTestDatabase();
  const config = resolveAppConfig(
    parseEnvironment({
      NODE_ENV: 'test',
      ADMIN_TOKEN,
      SECRETS_KEY,
      DATABASE_URL: database.url,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'omni-test-')),
      WORKER_POLL_INTERVAL_MS: '50',
      PROVIDER_HTTP_TIMEOUT_MS: '2000',
      // Every fake provider and file server in the tests listens on 127.0.0.1.
      ALLOW_PRIVATE_NETWORK_FETCH: 'true',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
      ...env,
    }),
  );
  const app = await createApp(config, database.url);
  const routes: MappedRoute[] = [];
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', ({ method, url }) => {
      for (const each of [method].flat())
        if (each !== 'HEAD' && !url.includes('*')) routes.push({ method: each.toLowerCase(), path: url });
    });
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const db = new Client({ connectionString: database.url });
  // Tests that stop the database must not crash on this idle connection; the next query reports it.
  db.on('error', () => undefined);
  await db.connect();
  return {
    app,
    baseUrl,
    databaseUrl: database.url,
    routes,
    db,
    admin: () => request.agent(app.getHttpServer()).auth(ADMIN_TOKEN, { type: 'bearer' }),
    close: async () => {
      await app.close();
      await db.end();
      await database.drop();
    },
  };
}
