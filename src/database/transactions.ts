import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, QueryResultRow } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * The unit of work. Services wrap what must commit together in `run`; repositories send every
 * statement through `manager`, which is the transaction in progress on this async path, or the pool
 * outside one. So services never hold a DataSource, and a repository method joins its caller's
 * transaction without being passed one.
 */
@Injectable()
export class Transactions {
  private readonly current = new AsyncLocalStorage<EntityManager>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` in one transaction (committed when it resolves); inside another `run`, joins it. */
  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.current.getStore()) return work();
    return this.dataSource.transaction((manager) => this.current.run(manager, work));
  }

  /** The transaction in progress on this async path, else the pool. For repositories only. */
  get manager(): EntityManager {
    return this.current.getStore() ?? this.dataSource.manager;
  }

  /**
   * A read through a named prepared statement, planned once per connection instead of per call: for
   * hot reads whose statement has no optional conditions (a generic plan must suit every call).
   * Inside a `run` it joins the transaction, unprepared.
   */
  async queryPrepared<T>(name: string, sql: string, params: unknown[]): Promise<T[]> {
    const transaction = this.current.getStore();
    if (transaction) return transaction.query<T[]>(sql, params);
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    return (await pool.query<T & QueryResultRow>({ name, text: sql, values: params })).rows;
  }

  /** Whether a `run` is in progress on this async path. */
  get inTransaction(): boolean {
    return this.current.getStore() !== undefined;
  }
}
