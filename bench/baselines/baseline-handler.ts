import { Pool } from 'pg';

export interface BaselineAnswer {
  status: number;
  body: string;
}

/** What a bare baseline server does with one request: at most one query, then an answer. */
export type BaselineHandler = (url: string, body: string, authorization: string) => Promise<BaselineAnswer>;

/** The connections a baseline may hold: as many as the service's pool (src/database/data-source.options.ts). */
export const BASELINE_POOL_SIZE = 20;

export type BaselineFactory = (db: Pool, config: unknown) => BaselineHandler;
