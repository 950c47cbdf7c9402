import { INestApplication, Logger as NestLogger, ValidationPipe } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction, RawServerDefault } from 'fastify';
import { AppModule } from './app.module';
import { AppExceptionFilter } from './common/errors/app-exception.filter';
import { validationErrorsToAppError } from './common/errors/validation-errors';
import { AppConfig } from './config/app-config';
import { startEmbeddedPostgres } from './database/embedded-postgres.launcher';
import { setUpOpenApi } from './observability/openapi';
import { requestIdOf } from './observability/request-logging';
import { join } from 'node:path';

export interface RunningService {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/** Builds the Nest application with the HTTP conventions of the whole API; does not listen. */
export async function createApp(config: AppConfig, databaseUrl: string): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, databaseUrl),
    // pino-http (LoggerModule) logs requests; Fastify's own request logger stays off.
    new FastifyAdapter({ bodyLimit: config.env.HTTP_BODY_LIMIT_BYTES, genReqId: requestIdOf }),
    { rawBody: true, bodyParser: false, bufferLogs: true },
  );
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  // JSON bodies only (Nest's default would add form bodies); their raw bytes stay on the request for signatures.
  app.useBodyParser<RawServerDefault>('application/json', {}, (request, body, done) =>
    parseJson(request, body.toString('utf8'), done),
  );
  app.useLogger(app.get(Logger));
  // Tells Nest's Logger.isLevelEnabled the level pino writes at, so disabled debug lines are never built.
  NestLogger.overrideLogger([config.env.LOG_LEVEL]);
  app.useGlobalPipes(
    new ValidationPipe({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      exceptionFactory: (errors) => validationErrorsToAppError(errors),
    }),
  );
  app.useGlobalFilters(new AppExceptionFilter());
  fastify.addHook('onRequest', sendsRequestIdBack);
  if (config.env.SERVICE_ROLE === 'worker') fastify.addHook('onRequest', servesOnlyHealthAndMetrics);
  setUpOpenApi(app);
  return app;
}

function sendsRequestIdBack(request: FastifyRequest, reply: FastifyReply, next: HookHandlerDoneFunction): void {
  void reply.header('x-request-id', request.id);
  next();
}

const WORKER_ROUTES = /^\/(health(\/|$|\?)|metrics($|\?))/;

/** A worker instance answers health checks and metrics scrapes; everything else is for `api` instances. */
function servesOnlyHealthAndMetrics(request: FastifyRequest, reply: FastifyReply, next: HookHandlerDoneFunction): void {
  if (WORKER_ROUTES.test(request.url)) return next();
  void reply.status(404).send({
    statusCode: 404,
    code: 'NOT_FOUND',
    message: 'This instance runs background work only (SERVICE_ROLE=worker); send API requests to an api instance',
  });
}

/** Starts the service: the embedded Postgres when DATABASE_URL is unset, migrations, then HTTP on PORT. */
export async function startService(config: AppConfig, log: (line: string) => void): Promise<RunningService> {
  const embedded = config.env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres(join(config.dataDir, 'postgres'), config.env.EMBEDDED_POSTGRES_PORT, log);
  try {
    const app = await createApp(config, config.env.DATABASE_URL ?? embedded!.url);
    await app.listen(config.env.PORT, '0.0.0.0');
    const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
    return {
      app,
      url,
      close: async () => {
        await app.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
