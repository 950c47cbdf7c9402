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

/** The targets; each row is held to one (ingest_telegram to ingest's, each agent list endpoint to agent_list's). */
export type TargetName = 'ingest' | 'history' | 'agent_list' | 'drain_alone' | 'drain' | 'growth';

/** What one measured load found. */
export interface Measurement {
  name: string;
  target: TargetName;
  value: number;
  unit: string;
  p50Ms: number;
  p99Ms: number;
  /** The same figure from the row's baseline in the same run (a bare server, or the same scenario on a smaller table). */
  baseline: number | null;
  /** The baseline's p99, where the target bounds the row's p99 by it. */
  baselineP99Ms: number | null;
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
