import { Logger } from '@nestjs/common';
import { WorkLoop } from './work-loop';

const BATCH_SIZE = 5;

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A stand-in for claimAndProcess whose every call stays pending until the test answers it,
 * and which records how many calls were in flight at once.
 */
class ScriptedClaims {
  readonly batchSizes: number[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly pending: { resolve(claimed: number): void; reject(error: Error): void }[] = [];

  readonly claim = (batchSize: number): Promise<number> => {
    this.batchSizes.push(batchSize);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise<number>((resolve, reject) => this.pending.push({ resolve, reject })).finally(() => {
      this.inFlight--;
    });
  };

  get calls(): number {
    return this.batchSizes.length;
  }

  /** Answers the oldest pending call with `claimed` rows and lets the loop react. */
  async answer(claimed: number): Promise<void> {
    this.next().resolve(claimed);
    await settle();
  }

  async fail(error: Error): Promise<void> {
    this.next().reject(error);
    await settle();
  }

  private next() {
    const call = this.pending.shift();
    if (!call) throw new Error('no claim is pending');
    return call;
  }
}

describe(WorkLoop.name, () => {
  let claims: ScriptedClaims;
  let logger: Logger;
  let sut: WorkLoop;

  beforeEach(() => {
    claims = new ScriptedClaims();
    logger = new Logger(WorkLoop.name);
    jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    sut = new WorkLoop(logger, BATCH_SIZE, claims.claim);
  });

  it('claims one batch of the configured size on a wake and stops at a partial batch', async () => {
    sut.wake();
    await settle();
    expect(claims.batchSizes).toEqual([BATCH_SIZE]);

    await claims.answer(BATCH_SIZE - 1);

    expect(claims.calls).toBe(1);
    expect(claims.inFlight).toBe(0);
  });

  it('runs exactly once more, never in parallel, when woken during a run', async () => {
    sut.wake();
    await settle();
    sut.wake();
    sut.wake();
    sut.wake();
    await settle();
    expect(claims.calls).toBe(1);

    await claims.answer(0);
    expect(claims.calls).toBe(2);

    await claims.answer(0);
    expect(claims.calls).toBe(2);
    expect(claims.maxInFlight).toBe(1);
  });

  it('does not run again after a run that was not woken', async () => {
    sut.wake();
    await claims.answer(0);
    await settle();

    expect(claims.calls).toBe(1);
  });

  it('drains while full batches are claimed', async () => {
    sut.wake();
    await settle();

    await claims.answer(BATCH_SIZE);
    expect(claims.calls).toBe(2);
    await claims.answer(BATCH_SIZE);
    expect(claims.calls).toBe(3);
    await claims.answer(2);

    expect(claims.calls).toBe(3);
    expect(claims.maxInFlight).toBe(1);
  });

  it('stop waits for the run in progress, which claims nothing more, and later wakes do nothing', async () => {
    sut.wake();
    await settle();
    sut.wake();
    let stopped = false;
    const stopping = sut.stop().then(() => {
      stopped = true;
    });
    await settle();
    expect(stopped).toBe(false);

    await claims.answer(BATCH_SIZE);
    await stopping;

    expect(stopped).toBe(true);
    expect(claims.calls).toBe(1);
    sut.wake();
    await settle();
    expect(claims.calls).toBe(1);
  });

  it('stops at once when nothing is running', async () => {
    await sut.stop();
    sut.wake();
    await settle();

    expect(claims.calls).toBe(0);
  });

  it('logs a failing claim and keeps working on the next wake', async () => {
    sut.wake();
    await settle();

    await claims.fail(new Error('connection terminated'));

    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining('connection terminated'));
    expect(claims.inFlight).toBe(0);

    sut.wake();
    await settle();
    expect(claims.calls).toBe(2);
    await claims.answer(BATCH_SIZE);
    expect(claims.calls).toBe(3);
    await claims.answer(0);
    expect(logger.error).toHaveBeenCalledTimes(1);
  });

  it('logs a claim that throws synchronously and keeps working', async () => {
    let calls = 0;
    sut = new WorkLoop(logger, BATCH_SIZE, (batchSize) => {
      calls++;
      if (calls === 1) throw new Error('bad SQL');
      return Promise.resolve(batchSize - 1);
    });

    sut.wake();
    await settle();
    sut.wake();
    await settle();

    expect(calls).toBe(2);
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining('bad SQL'));
  });

  it('runs the extra wake even when the woken run failed', async () => {
    sut.wake();
    await settle();
    sut.wake();

    await claims.fail(new Error('deadlock detected'));

    expect(claims.calls).toBe(2);
    await claims.answer(0);
    expect(claims.maxInFlight).toBe(1);
  });
});
