import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { resolveAppConfig } from '../config/app-config';
import { parseEnvironment } from '../config/environment';
import { buildDataSourceOptions } from './data-source.options';
import { startEmbeddedPostgres } from './embedded-postgres.launcher';

/** Applies the pending migrations to `databaseUrl`, each in its own transaction; returns the names applied. */
export async function applyPendingMigrations(databaseUrl: string): Promise<string[]> {
  const dataSource = new DataSource(buildDataSourceOptions(databaseUrl));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}

/** `npm run migration:run`: applies pending migrations to DATABASE_URL, or to the embedded Postgres. */
async function runMigrations(): Promise<void> {
  const config = resolveAppConfig(parseEnvironment(process.env));
  const embedded = config.env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres(join(config.dataDir, 'postgres'), config.env.EMBEDDED_POSTGRES_PORT, console.log);
  try {
    const applied = await applyPendingMigrations(config.env.DATABASE_URL ?? embedded!.url);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the schema is up to date');
  } finally {
    await embedded?.stop();
  }
}

if (require.main === module) {
  runMigrations().catch((error: unknown) => {
    console.error(`Migrations failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
