import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The only reader of TypeORM's `migrations` table. */
@Injectable()
export class MigrationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Whether a migration of this build has not run yet. */
  hasPending(): Promise<boolean> {
    return this.dataSource.showMigrations();
  }
}
