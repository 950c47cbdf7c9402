import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { resolveAppConfig } from '../config/app-config';
import { parseEnvironment } from '../config/environment';
import { buildDataSourceOptions } from './data-source.options';
import { startEmbeddedPostgres } from './embedded-postgres.launcher';

/** `npm run migration:run`: applies pending migrations to DATABASE_URL, or to the embedded Postgres. */
async function runMigrations(): Promise<void> {
  const config = resolveAppConfig(parseEnvironment(process.env));
  const embedded = config.env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres(join(config.dataDir, 'postgres'), config.env.EMBEDDED_POSTGRES_PORT, console.log);
  const dataSource = new DataSource(buildDataSourceOptions(config.env.DATABASE_URL ?? embedded!.url));
  try {
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    console.log(applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}` : 'the schema is up to date');
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

runMigrations().catch((error: unknown) => {
  console.error(`Migrations failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
