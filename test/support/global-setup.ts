import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source.options';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.launcher';
import { databaseUrl, TEST_SERVER_URL_VAR, TEST_TEMPLATE_VAR, withServer } from './test-database';

/**
 * Uses DATABASE_URL's server when set, else starts the embedded Postgres; creates a template
 * database with every migration applied, which each test file clones.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    // A fresh cluster and port per run, so two runs never share one; the postgres user must reach it.
    const dataDir = mkdtempSync(join(tmpdir(), 'omni-test-postgres-'));
    chmodSync(dataDir, 0o755);
    const embedded = await startEmbeddedPostgres(join(dataDir, 'data'), await freePort(), (line) => console.log(line));
    (globalThis as { embeddedPostgres?: typeof embedded }).embeddedPostgres = embedded;
    serverUrl = embedded.url;
  }
  const template = `omni_template_${randomBytes(4).toString('hex')}`;
  await withServer(serverUrl, (client) => client.query(`CREATE DATABASE ${template}`));
  const dataSource = new DataSource(buildDataSourceOptions(databaseUrl(serverUrl, template)));
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
  process.env[TEST_SERVER_URL_VAR] = serverUrl;
  process.env[TEST_TEMPLATE_VAR] = template;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
