import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { buildDataSourceOptions } from './data-source.options';

@Module({})
export class DatabaseModule {
  /** Connects to `url` and applies pending migrations before the app serves. Query logging stays off: parameters carry message text. */
  static forRoot(url: string): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [TypeOrmModule.forRoot({ ...buildDataSourceOptions(url), migrationsRun: true, logging: false })],
    };
  }
}
