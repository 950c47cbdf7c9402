/** Undo steps run last-added first, once, whether the bench finished, failed or was interrupted. */
export class Teardown {
  private readonly steps: (() => unknown)[] = [];
  private running?: Promise<void>;

  add(step: () => unknown): void {
    this.steps.push(step);
  }

  /** True once run() was called, e.g. by a signal while the bench was still working. */
  get started(): boolean {
    return this.running !== undefined;
  }

  run(): Promise<void> {
    this.running ??= this.runSteps();
    return this.running;
  }

  private async runSteps(): Promise<void> {
    for (const step of this.steps.reverse()) {
      try {
        await step();
      } catch (error) {
        console.error(`cleanup step failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
