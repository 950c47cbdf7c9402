import {
  ConsoleLogger,
  DynamicModule,
  Inject,
  INestApplicationContext,
  Injectable,
  LogLevel,
  Module,
  OnModuleInit,
  Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { AppConfig, resolveAppConfig } from '../config/app-config';
import { parseEnvironment } from '../config/environment';
import { WorkLoops } from '../messaging/work-loops/work-loops.service';
import { CliDatabase, openDatabase } from './cli-database';
import { CliOutput } from './cli-output';

/** The environment as the service reads it; secrets generated into DATA_DIR are announced on stderr. */
export function loadConfig(out: CliOutput): AppConfig {
  const config = resolveAppConfig(parseEnvironment(process.env));
  for (const file of config.generatedSecretFiles) out.note(`generated a local secret in ${file}`);
  return config;
}

/** Nest logs go to stderr, so that stdout carries only the command's result. */
class StderrLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    _writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr', errorStack);
  }
}

const CLI_WORK_LOOPS = Symbol('CLI_WORK_LOOPS');

/**
 * A CLI run is not a service replica: it must not poll, route, run jobs or read events behind the
 * command's back. It runs only the work loops its command names (e.g. the outbox for `send`).
 */
@Injectable()
class CliWorkLoopSelection implements OnModuleInit {
  constructor(
    private readonly loops: WorkLoops,
    @Inject(CLI_WORK_LOOPS) private readonly names: string[],
  ) {}

  onModuleInit(): void {
    this.loops.runOnly(this.names);
  }
}

@Module({})
class CliModule {
  static forRoot(config: AppConfig, databaseUrl: string, workLoops: string[]): DynamicModule {
    return {
      module: CliModule,
      imports: [AppModule.forRoot(config, databaseUrl)],
      providers: [{ provide: CLI_WORK_LOOPS, useValue: workLoops }, CliWorkLoopSelection],
    };
  }
}

/** The service's modules on the service's configuration and database, without HTTP. */
export class CliApplication {
  private constructor(
    readonly config: AppConfig,
    private readonly context: INestApplicationContext,
    private readonly database: CliDatabase,
  ) {}

  /**
   * Opens the application; `workLoops` names the loops this command needs (none by default). Migrations pending on the database are applied, as the service does at start.
   */
  static async open(out: CliOutput, workLoops: string[] = []): Promise<CliApplication> {
    const config = loadConfig(out);
    const database = await openDatabase(config, (line) => out.note(line));
    try {
      const context = await NestFactory.createApplicationContext(CliModule.forRoot(config, database.url, workLoops), {
        logger: new StderrLogger({
          logLevels: config.env.LOG_LEVEL === 'error' ? ['error'] : ['error', 'warn'],
          colors: Boolean(process.stderr.isTTY),
        }),
        // Without this Nest aborts the process on a start-up error instead of letting it be reported.
        abortOnError: false,
      });
      return new CliApplication(config, context, database);
    } catch (error) {
      await database.close();
      throw error;
    }
  }

  get<T>(type: Type<T>): T {
    return this.context.get(type, { strict: false });
  }

  /** Lets running work finish (shutdown hooks), then closes the database. */
  async close(): Promise<void> {
    try {
      await this.context.close();
    } finally {
      await this.database.close();
    }
  }
}
