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
import { DiscoveryModule, DiscoveryService, NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module';
import { AppConfig, resolveAppConfig } from '../config/app-config';
import { parseEnvironment } from '../config/environment';
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

const ALLOWED_BACKGROUND_WORK = Symbol('ALLOWED_BACKGROUND_WORK');

/**
 * A CLI run is not a service replica: it must not poll, route, run jobs or listen for events
 * behind the command's back. Nest has no switch to skip a provider's `onApplicationBootstrap`,
 * which is where every background loop starts, so before the bootstrap hooks run this takes the
 * hook away from every instance except the workers the command asked for (e.g. the outbound
 * dispatcher for `send`). Covering all instances, not a list, keeps future workers quiet too.
 * Setup done in `onModuleInit` (the provider registry, job handlers) is untouched.
 */
@Injectable()
class BackgroundWorkGate implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(ALLOWED_BACKGROUND_WORK) private readonly allowed: Type[],
  ) {}

  onModuleInit(): void {
    for (const { instance } of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      if (!hasBootstrapHook(instance) || this.allowed.some((type) => instance instanceof type)) continue;
      Object.defineProperty(instance, 'onApplicationBootstrap', { value: undefined });
    }
  }
}

function hasBootstrapHook(instance: unknown): instance is { onApplicationBootstrap: () => unknown } {
  return (
    typeof instance === 'object' &&
    instance !== null &&
    typeof (instance as { onApplicationBootstrap?: unknown }).onApplicationBootstrap === 'function'
  );
}

@Module({})
class CliModule {
  static forRoot(config: AppConfig, databaseUrl: string, backgroundWork: Type[]): DynamicModule {
    return {
      module: CliModule,
      imports: [AppModule.forRoot(config, databaseUrl), DiscoveryModule],
      providers: [{ provide: ALLOWED_BACKGROUND_WORK, useValue: backgroundWork }, BackgroundWorkGate],
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
   * Opens the application; `backgroundWork` names the workers whose loops this command needs
   * (none by default). Migrations pending on the database are applied, as the service does at start.
   */
  static async open(out: CliOutput, backgroundWork: Type[] = []): Promise<CliApplication> {
    const config = loadConfig(out);
    const database = await openDatabase(config, (line) => out.note(line));
    try {
      const context = await NestFactory.createApplicationContext(
        CliModule.forRoot(config, database.url, backgroundWork),
        {
          logger: new StderrLogger({
            logLevels: config.env.LOG_LEVEL === 'error' ? ['error'] : ['error', 'warn'],
            colors: Boolean(process.stderr.isTTY),
          }),
          // Without this Nest aborts the process on a start-up error instead of letting it be reported.
          abortOnError: false,
        },
      );
      return new CliApplication(config, context, database);
    } catch (error) {
      await database.close();
      throw error;
    }
  }

  get<T>(type: Type<T>): T {
    return this.context.get(type, { strict: false });
  }

  get dataSource(): DataSource {
    return this.context.get<DataSource>(getDataSourceToken(), { strict: false });
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
