import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config';
import { ServiceRole } from '../../config/environment';
import { WorkLoop } from './work-loop';

export interface WorkLoopDefinition {
  /** Unique; names the loop in logs and in {@link WorkLoops.wake}. */
  name: string;
  /** The tick: the safety net for wake-ups missed, e.g. those of other instances. */
  intervalMs: number;
  /** Claims and does one batch; resolves to how many items it took. A full batch runs again at once. */
  runOnce: (batchSize: number) => Promise<number>;
  /** Default 1: a pass that walks everything due itself. */
  batchSize?: number;
  /**
   * `worker` (default): background work, run by the `all` and `worker` roles. `api`: feeds this
   * instance's own HTTP streams (SSE), run by the `all` and `api` roles.
   */
  servesRole?: 'worker' | 'api';
}

const ROLES_RUNNING: Record<'worker' | 'api', ServiceRole[]> = { worker: ['all', 'worker'], api: ['all', 'api'] };

/**
 * Every loop of the service, declared here instead of started by its owner. At bootstrap it starts
 * the loops this instance's SERVICE_ROLE runs (or only those a CLI command asked for); before the
 * database closes it stops them, waiting for the batches in progress.
 */
@Injectable()
export class WorkLoops implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkLoops.name);
  private readonly definitions = new Map<string, WorkLoopDefinition>();
  private readonly running = new Map<string, WorkLoop>();
  private onlyNames?: ReadonlySet<string>;

  constructor(
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  /** Declares a loop; call it from the owner's constructor or onModuleInit. */
  define(definition: WorkLoopDefinition): void {
    if (this.definitions.has(definition.name)) throw new Error(`Two work loops named "${definition.name}"`);
    this.definitions.set(definition.name, definition);
  }

  /** For the CLI: run only these loops, whatever the role. Call before the application bootstraps. */
  runOnly(names: string[]): void {
    const unknown = names.filter((name) => !this.definitions.has(name));
    if (unknown.length > 0) throw new Error(`No work loop named ${unknown.join(', ')}`);
    this.onlyNames = new Set(names);
  }

  /** Run the loop now rather than at its next tick; nothing when this instance does not run it. */
  wake(name: string): void {
    this.running.get(name)?.wake();
  }

  /** Whether this instance runs the loop. */
  isRunning(name: string): boolean {
    return this.running.has(name);
  }

  onApplicationBootstrap(): void {
    for (const definition of this.definitions.values()) {
      if (!this.shouldRun(definition)) continue;
      const loop = new WorkLoop(new Logger(definition.name), definition.batchSize ?? 1, definition.runOnce);
      this.running.set(definition.name, loop);
      loop.startPolling(this.scheduler, definition.name, definition.intervalMs);
    }
    this.logger.log(
      `role ${this.config.env.SERVICE_ROLE}: running ${[...this.running.keys()].join(', ') || 'no loops'}`,
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.running.values()].map((loop) => loop.stop()));
  }

  private shouldRun(definition: WorkLoopDefinition): boolean {
    if (this.onlyNames) return this.onlyNames.has(definition.name);
    return ROLES_RUNNING[definition.servesRole ?? 'worker'].includes(this.config.env.SERVICE_ROLE);
  }
}
