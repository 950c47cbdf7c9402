import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { buildDataSourceOptions } from './data-source.options';
import { Transactions } from './transactions';

/** The connection, and the unit of work every repository runs its statements in. */
@Global()
@Module({})
export class DatabaseModule {
  /** Connects to `url` and applies pending migrations before the app serves. Query logging stays off: parameters carry message text. */
  static forRoot(url: string): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [TypeOrmModule.forRoot({ ...buildDataSourceOptions(url), migrationsRun: true, logging: false })],
      providers: [Transactions],
      exports: [Transactions],
    };
  }
}
