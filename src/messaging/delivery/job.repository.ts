import { Injectable } from '@nestjs/common';
import { Transactions } from '../../database/transactions';

/** A job claimed for one attempt. */
export interface ClaimedJob {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  attempts: number;
  exhausted: boolean;
  lastError: string | null;
}

/** Which attempt of which job a settle is for: it changes nothing once a newer attempt took over. */
export interface JobAttempt {
  id: string;
  attempts: number;
}

export interface NewJob {
  type: string;
  payload: Record<string, unknown>;
}

export interface FailedJob {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  lastError: string | null;
  attempts: number;
  updatedAt: Date;
}

/** The only reader and writer of `jobs`. */
@Injectable()
export class JobRepository {
  constructor(private readonly transactions: Transactions) {}

  // The work queue's job source, enqueueing, and failed jobs (dead letters).

  /** Adds jobs in the caller's transaction, so the work is durable exactly when the data is. */
  async enqueue(jobs: NewJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.transactions.manager.query(
      `INSERT INTO jobs (type, payload) SELECT * FROM unnest($1::varchar[], $2::jsonb[])`,
      [jobs.map((job) => job.type), jobs.map((job) => JSON.stringify(job.payload))],
    );
  }

  /**
   * Leases up to `limit` due jobs (`running`, due again when the lease lapses). A job whose lapsed
   * attempt was its `maxAttempts`-th comes back `exhausted`, its attempt count unchanged.
   */
  async claimDue(limit: number, leaseMs: number, maxAttempts: number): Promise<ClaimedJob[]> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [claimed] = await this.transactions.manager.query<[ClaimedJob[], number]>(
      `WITH due AS (
         SELECT j.id, (j.status = 'running' AND j.attempts >= $3) AS exhausted FROM jobs j
          WHERE j.status IN ('pending', 'running') AND j.run_at <= now()
          ORDER BY j.run_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE jobs j
          SET status = 'running', attempts = j.attempts + CASE WHEN due.exhausted THEN 0 ELSE 1 END,
              run_at = now() + make_interval(secs => $2::float / 1000), updated_at = now()
         FROM due WHERE j.id = due.id
       RETURNING j.id, j.type, j.payload, j.attempts, due.exhausted, j.last_error AS "lastError"`,
      [limit, leaseMs, maxAttempts],
    );
    return claimed;
  }

  /** A job is deleted when done. */
  async deleteDone(attempt: JobAttempt): Promise<void> {
    await this.transactions.manager.query(`DELETE FROM jobs WHERE id = $1 AND status = 'running' AND attempts = $2`, [
      attempt.id,
      attempt.attempts,
    ]);
  }

  /** Puts the job back, due in `afterMs`, with `error` as its latest reason. */
  async requeue(attempt: JobAttempt, afterMs: number, error: string): Promise<void> {
    await this.transactions.manager.query(
      `UPDATE jobs SET status = 'pending', last_error = $3, run_at = now() + make_interval(secs => $4::float / 1000),
              updated_at = now()
        WHERE id = $1 AND status = 'running' AND attempts = $2`,
      [attempt.id, attempt.attempts, error, afterMs],
    );
  }

  /** Marks the job failed for good; false when a newer attempt took over. */
  async markFailed(attempt: JobAttempt, error: string): Promise<boolean> {
    const [, failed] = await this.transactions.manager.query<[unknown[], number]>(
      `UPDATE jobs SET status = 'failed', last_error = $3, updated_at = now()
        WHERE id = $1 AND status = 'running' AND attempts = $2`,
      [attempt.id, attempt.attempts, error],
    );
    return failed > 0;
  }

  /** Jobs that failed for good, most recently failed first. */
  listFailed(limit: number): Promise<FailedJob[]> {
    return this.transactions.manager.query<FailedJob[]>(
      `SELECT id::text, type, payload, last_error AS "lastError", attempts, updated_at AS "updatedAt"
         FROM jobs WHERE status = 'failed' ORDER BY updated_at DESC LIMIT $1`,
      [limit],
    );
  }

  /** Queues a failed job again with a fresh set of attempts; false when there is no such job. */
  async requeueFailed(id: string): Promise<boolean> {
    const [, requeued] = await this.transactions.manager.query<[unknown[], number]>(
      `UPDATE jobs SET status = 'pending', attempts = 0, run_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'failed'`,
      [id],
    );
    return requeued > 0;
  }

  /** Deletes the failed jobs of `type` whose payload contains `payload` (e.g. the one for a file about to be queued again). */
  async deleteFailed(type: string, payload: Record<string, unknown>): Promise<void> {
    await this.transactions.manager.query(
      `DELETE FROM jobs WHERE status = 'failed' AND type = $1 AND payload @> $2::jsonb`,
      [type, JSON.stringify(payload)],
    );
  }

  /** Jobs due for an attempt now. */
  async countDue(): Promise<number> {
    const [{ count }] = await this.transactions.manager.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM jobs WHERE status IN ('pending', 'running') AND run_at <= now()`,
    );
    return count;
  }
}
