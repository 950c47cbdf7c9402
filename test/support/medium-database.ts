import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source.options';
import { Transactions } from '../../src/database/transactions';
import { createTestDatabase } from './test-database';

/** A test file's own migrated database (cloned from the template) and the unit of work on it, for repository specs. */
export interface MediumDatabase {
  transactions: Transactions;
  /** For a spec's own checks and set-ups the repositories under test do not cover. */
  query<T>(sql: string, parameters?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function openMediumDatabase(): Promise<MediumDatabase> {
  const database = await createTestDatabase();
  const dataSource = new DataSource(buildDataSourceOptions(database.url));
  await dataSource.initialize();
  return {
    transactions: new Transactions(dataSource),
    query: (sql, parameters) => dataSource.query(sql, parameters),
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}
