import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { startService } from './app.factory';
import { resolveAppConfig } from './config/app-config';
import { InvalidEnvironmentError, parseEnvironment } from './config/environment';

async function main(): Promise<void> {
  const logger = new Logger('Bootstrap');
  let config;
  try {
    config = resolveAppConfig(parseEnvironment(process.env));
  } catch (error) {
    if (!(error instanceof InvalidEnvironmentError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  for (const file of config.generatedSecretFiles)
    logger.warn(`generated a local secret in ${file} (set it in the environment for production)`);
  const service = await startService(config, (line) => logger.log(line));
  logger.log(
    `listening on ${service.url}; admin token in ${config.env.ADMIN_TOKEN ? 'ADMIN_TOKEN' : `${config.dataDir}/admin-token`}`,
  );
  const shutDown = (signal: NodeJS.Signals) => {
    logger.log(`${signal}: finishing in-flight work, then stopping`);
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutDown);
  process.once('SIGINT', shutDown);
}

main().catch((error: unknown) => {
  console.error(`Failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
