import { Pool } from 'pg';
import { AdminApi } from './admin-api';
import { BenchSizes } from './sizes';

export interface BenchContext {
  sizes: BenchSizes;
  /** The bench database, for seeding and for checking what the service stored. */
  db: Pool;
  databaseUrl: string;
  serviceUrl: string;
  admin: AdminApi;
  progress(line: string): void;
}

/** The four targets; extra figures (e.g. ingest_telegram) are held to their scenario's. */
export type TargetName = 'ingest' | 'history' | 'agent_list' | 'drain';

/** What one measured load found. */
export interface Measurement {
  name: string;
  target: TargetName;
  value: number;
  unit: string;
  p50Ms: number;
  p99Ms: number;
  /** The same figure from the bare baseline in the same run; null where the issue names none. */
  baseline: number | null;
  /** Lines printed under the table. */
  details: string[];
  /** Correctness failures (a lost, duplicated or refused message): the run fails, smoke or not. */
  problems: string[];
}

export interface Scenario {
  readonly name: string;
  /** Seeds what the scenario needs; every scenario is prepared before the first one runs. */
  prepare(context: BenchContext): Promise<void>;
  run(context: BenchContext): Promise<Measurement[]>;
  /** Stops the fakes it started; safe to call when prepare did not finish. */
  stop(): Promise<void>;
}
