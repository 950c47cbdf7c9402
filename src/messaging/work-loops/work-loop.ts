import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

/**
 * Runs `claimAndProcess` until it claims less than a full batch; a wake-up during a run
 * schedules one more run instead of a parallel one. `stop` waits for the run in progress.
 */
export class WorkLoop {
  private running?: Promise<void>;
  private wokenWhileRunning = false;
  private stopped = false;

  constructor(
    private readonly logger: Logger,
    private readonly batchSize: number,
    private readonly claimAndProcess: (batchSize: number) => Promise<number>,
  ) {}

  /** Registers a tick every `intervalMs` (the safety net for wake-ups missed, e.g. from other instances) and runs now. */
  startPolling(scheduler: SchedulerRegistry, name: string, intervalMs: number): void {
    scheduler.addInterval(
      name,
      setInterval(() => this.wake(), intervalMs),
    );
    this.wake();
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wokenWhileRunning = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.wokenWhileRunning) {
        this.wokenWhileRunning = false;
        this.wake();
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (await this.claimAndProcess(this.batchSize)) >= this.batchSize);
    } catch (error) {
      this.logger.error(`work loop failed, will retry on the next tick: ${(error as Error).message}`);
    }
  }
}
