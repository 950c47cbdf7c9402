import { Injectable } from '@nestjs/common';
import { ChatFixtures } from '../../../test/support/chat-fixtures';
import { CoreTestingModule, startCoreTestingModule } from '../../../test/support/core-testing-module';
import { Transactions } from '../../database/transactions';
import { ProviderError } from '../contracts/provider-error';
import { HandlesJob, JobHandler } from '../delivery/job-handler.decorator';
import { JobRunner } from '../delivery/job-runner.service';
import { WorkQueueRunner } from './work-queue.runner';

const SCRIPTED = 'test.scripted';

/** A job handler whose attempts a test scripts one by one; it records what it was given and what it gave up. */
@Injectable()
@HandlesJob(SCRIPTED)
class ScriptedJob implements JobHandler {
  readonly nextAttempts: ((payload: Record<string, unknown>) => Promise<void>)[] = [];
  readonly handled: Record<string, unknown>[] = [];
  readonly givenUp: { payload: Record<string, unknown>; reason: string }[] = [];

  async handle(payload: Record<string, unknown>): Promise<void> {
    this.handled.push(payload);
    const attempt = this.nextAttempts.shift();
    if (!attempt) throw new Error('an attempt nobody scripted');
    await attempt(payload);
  }

  async giveUp(payload: Record<string, unknown>, reason: string): Promise<void> {
    this.givenUp.push({ payload, reason });
  }
}

const succeeds = async (): Promise<void> => {};
const failsWith = (code: ProviderError['code'], message: string) => async (): Promise<void> => {
  throw new ProviderError(code, message);
};

/** An attempt that waits until the test lets it end (with `settle`), and says when it has started. */
function heldAttempt(): {
  attempt: () => Promise<void>;
  started: Promise<void>;
  settle: (outcome: () => Promise<void>) => void;
} {
  let markStarted!: () => void;
  let release!: (outcome: () => Promise<void>) => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const released = new Promise<() => Promise<void>>((resolve) => (release = resolve));
  return {
    attempt: async () => {
      markStarted();
      await (
        await released
      )();
    },
    started,
    settle: (outcome) => release(outcome),
  };
}

interface JobRow {
  status: string;
  attempts: number;
  last_error: string | null;
  due_in_ms: number;
}

describe(WorkQueueRunner.name, () => {
  let core: CoreTestingModule;
  let sut: WorkQueueRunner;
  let jobs: JobRunner;
  let handler: ScriptedJob;

  beforeAll(async () => {
    core = await startCoreTestingModule([WorkQueueRunner, JobRunner, ScriptedJob], {
      JOB_MAX_ATTEMPTS: '2',
    });
    sut = core.module.get(WorkQueueRunner);
    jobs = core.module.get(JobRunner);
    handler = core.module.get(ScriptedJob);
  });

  afterAll(async () => {
    await core.close();
  });

  beforeEach(async () => {
    await core.db.query(`DELETE FROM jobs`);
    handler.nextAttempts.length = 0;
    handler.handled.length = 0;
    handler.givenUp.length = 0;
  });

  async function enqueue(payload: Record<string, unknown> = {}): Promise<string> {
    const { rows } = await core.db.query<{ id: string }>(
      `INSERT INTO jobs (type, payload) VALUES ($1, $2) RETURNING id`,
      [SCRIPTED, payload],
    );
    return rows[0].id;
  }

  async function job(id: string): Promise<JobRow | undefined> {
    const { rows } = await core.db.query<JobRow>(
      `SELECT status, attempts, last_error, (extract(epoch FROM run_at - now()) * 1000)::int AS due_in_ms
         FROM jobs WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  const makeDue = (id: string) =>
    core.db.query(`UPDATE jobs SET run_at = now() - interval '1 second' WHERE id = $1`, [id]);

  it('claims a due job, runs its handler with the payload and deletes it when done', async () => {
    const id = await enqueue({ fileId: 'f-1' });
    handler.nextAttempts.push(succeeds);

    expect(await sut.runBatch(jobs, 10)).toBe(1);

    expect(handler.handled).toEqual([{ fileId: 'f-1' }]);
    expect(await job(id)).toBeUndefined();
  });

  it('leases what it claims: a second pass meanwhile claims nothing', async () => {
    const id = await enqueue();
    const held = heldAttempt();
    handler.nextAttempts.push(held.attempt);

    const first = sut.runBatch(jobs, 10);
    await held.started;

    expect(await job(id)).toMatchObject({ status: 'running', attempts: 1 });
    expect((await job(id))!.due_in_ms).toBeGreaterThan(60_000);
    expect(await sut.runBatch(jobs, 10)).toBe(0);
    held.settle(succeeds);
    await first;
    expect(await job(id)).toBeUndefined();
  });

  it('retries a temporary failure after a backoff, then dead-letters it after the last attempt', async () => {
    const id = await enqueue({ n: 1 });
    handler.nextAttempts.push(failsWith('TEMPORARY', 'first try down'), failsWith('TEMPORARY', 'still down'));

    await sut.runBatch(jobs, 10);

    const retried = await job(id);
    expect(retried).toMatchObject({ status: 'pending', attempts: 1, last_error: 'first try down' });
    expect(retried!.due_in_ms).toBeGreaterThan(400);
    expect(retried!.due_in_ms).toBeLessThanOrEqual(1_000);
    expect(await sut.runBatch(jobs, 10)).toBe(0);

    await makeDue(id);
    await sut.runBatch(jobs, 10);

    expect(await job(id)).toMatchObject({ status: 'failed', attempts: 2, last_error: 'still down' });
    expect(handler.givenUp).toEqual([{ payload: { n: 1 }, reason: 'still down' }]);
    await makeDue(id);
    expect(await sut.runBatch(jobs, 10)).toBe(0);
  });

  it('fails a job at once when the failure is permanent', async () => {
    const id = await enqueue();
    handler.nextAttempts.push(failsWith('NOT_FOUND', 'no such file'));

    await sut.runBatch(jobs, 10);

    expect(await job(id)).toMatchObject({ status: 'failed', attempts: 1, last_error: 'no such file' });
    expect(handler.givenUp).toEqual([{ payload: {}, reason: 'no such file' }]);
  });

  it('fails a job whose credentials are refused, without pausing its channel', async () => {
    const { id: channelId } = await new ChatFixtures(core.module.get(Transactions)).channel();
    const id = await enqueue({ channelId });
    handler.nextAttempts.push(failsWith('AUTH_FAILED', 'HTTP 403: no profile access'));

    await sut.runBatch(jobs, 10);

    expect(await job(id)).toMatchObject({ status: 'failed', attempts: 1, last_error: 'HTTP 403: no profile access' });
    expect(handler.givenUp).toEqual([{ payload: { channelId }, reason: 'HTTP 403: no profile access' }]);
    const { rows } = await core.db.query(`SELECT error, connected FROM channels WHERE id = $1`, [channelId]);
    expect(rows[0]).toEqual({ error: null, connected: true });
  });

  it('claims a job again when its lease lapsed, and the stale attempt then changes nothing', async () => {
    const id = await enqueue();
    const stale = heldAttempt();
    handler.nextAttempts.push(stale.attempt, failsWith('PERMANENT', 'the newer attempt failed'));

    const first = sut.runBatch(jobs, 10);
    await stale.started;
    await makeDue(id);

    expect(await sut.runBatch(jobs, 10)).toBe(1);
    const settledByNewer = { status: 'failed', attempts: 2, last_error: 'the newer attempt failed' };
    expect(await job(id)).toMatchObject(settledByNewer);

    stale.settle(succeeds);
    await first;

    expect(await job(id)).toMatchObject(settledByNewer);
    expect(handler.givenUp).toEqual([{ payload: {}, reason: 'the newer attempt failed' }]);
  });

  it('gives up a job whose last attempt lapsed without an outcome, without running it again', async () => {
    const id = await enqueue();
    const lost = heldAttempt();
    handler.nextAttempts.push(failsWith('TEMPORARY', 'down'), lost.attempt);
    await sut.runBatch(jobs, 10);
    await makeDue(id);
    const last = sut.runBatch(jobs, 10);
    await lost.started;
    await makeDue(id);

    expect(await sut.runBatch(jobs, 10)).toBe(1);

    expect(handler.handled).toHaveLength(2);
    expect(await job(id)).toMatchObject({
      status: 'failed',
      attempts: 2,
      last_error: 'down; no outcome known for the last attempt; gave up after 2 attempts',
    });
    expect(handler.givenUp).toEqual([
      { payload: {}, reason: 'down; no outcome known for the last attempt; gave up after 2 attempts' },
    ]);
    lost.settle(succeeds);
    await last;
    expect(await job(id)).toMatchObject({ status: 'failed' });
  });
});
