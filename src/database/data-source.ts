import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source.options';

// Used by the TypeORM CLI (`npm run migration:generate`), which needs DATABASE_URL.
if (!process.env.DATABASE_URL) {
  throw new Error('DATABASE_URL must be set to generate migrations (e.g. postgres://postgres@127.0.0.1:5432/test)');
}

export default new DataSource(buildDataSourceOptions(process.env.DATABASE_URL));
