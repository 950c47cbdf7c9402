import { ModuleMetadata, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { Test, TestingModule } from '@nestjs/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { resolveAppConfig } from '../../src/config/app-config';
import { ConfigModule } from '../../src/config/config.module';
import { parseEnvironment } from '../../src/config/environment';
import { DatabaseModule } from '../../src/database/database.module';
import { RepositoriesModule } from '../../src/database/repositories.module';
import { WorkLoopsModule } from '../../src/messaging/work-loops/work-loops.module';
import { WorkLoops } from '../../src/messaging/work-loops/work-loops.service';
import { createTestDatabase } from './test-database';
import { CommonModule } from '../../src/common/common.module';

/** Some core services on their own fresh database, for medium specs: no HTTP, and no work loop running. */
export interface CoreTestingModule {
  module: TestingModule;
  /** A direct connection to the test database, to arrange rows and check them. */
  db: Client;
  close(): Promise<void>;
}

/**
 * Compiles `providers` with the configuration (`env` over the test defaults), the database and every
 * repository. Loops may be defined but none starts: a spec runs what it needs by hand.
 */
export async function startCoreTestingModule(
  providers: Provider[],
  env: Record<string, string> = {},
  imports: ModuleMetadata['imports'] = [],
): Promise<CoreTestingModule> {
  const database = await createTestDatabase();
  const config = resolveAppConfig(
    parseEnvironment({
      NODE_ENV: 'test',
      ADMIN_TOKEN: 'medium-admin-token-0123456789abcdef',
      SECRETS_KEY: 'b'.repeat(64),
      DATABASE_URL: database.url,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'omni-medium-')),
      LOG_LEVEL: 'error',
      ...env,
    }),
  );
  const module = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      DatabaseModule.forRoot(database.url),
      CommonModule,
      RepositoriesModule,
      ScheduleModule.forRoot(),
      WorkLoopsModule,
      DiscoveryModule,
      ...imports,
    ],
    providers,
  }).compile();
  module.get(WorkLoops).runOnly([]);
  module.useLogger(false);
  await module.init();
  const db = new Client({ connectionString: database.url });
  await db.connect();
  return {
    module,
    db,
    close: async () => {
      await db.end();
      await module.close();
      await database.drop();
    },
  };
}
