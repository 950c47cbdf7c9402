import { INestApplication, ValidationPipe } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { AppExceptionFilter } from './common/errors/app-exception.filter';
import { validationErrorsToAppError } from './common/errors/validation-errors';
import { AppConfig } from './config/app-config';
import { startEmbeddedPostgres } from './database/embedded-postgres.launcher';
import { setUpOpenApi } from './observability/openapi';
import { NextFunction, Request, Response } from 'express';
import { join } from 'node:path';

export interface RunningService {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/** Builds the Nest application with the HTTP conventions of the whole API; does not listen. */
export async function createApp(config: AppConfig, databaseUrl: string): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, databaseUrl), {
    rawBody: true,
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.useBodyParser('json', { limit: config.env.HTTP_BODY_LIMIT_BYTES });
  app.useGlobalPipes(
    new ValidationPipe({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      exceptionFactory: (errors) => validationErrorsToAppError(errors),
    }),
  );
  app.useGlobalFilters(new AppExceptionFilter());
  if (config.env.SERVICE_ROLE === 'worker') app.use(servesOnlyHealthAndMetrics);
  setUpOpenApi(app);
  return app;
}

const WORKER_ROUTES = /^\/(health(\/|$|\?)|metrics($|\?))/;

/** A worker instance answers health checks and metrics scrapes; everything else is for `api` instances. */
function servesOnlyHealthAndMetrics(request: Request, response: Response, next: NextFunction): void {
  if (WORKER_ROUTES.test(request.originalUrl)) return next();
  response.status(404).json({
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
