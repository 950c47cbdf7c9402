import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import { ChannelsModule } from './channels/channels.module';
import { ChatsModule } from './chats/chats.module';
import { CommonModule } from './common/common.module';
import { ApiThrottlerGuard } from './common/http/api-throttler.guard';
import { LoggableUrls } from './common/http/loggable-urls';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ConsoleModule } from './console/console.module';
import { ContactsModule } from './contacts/contacts.module';
import { DatabaseModule } from './database/database.module';
import { RepositoriesModule } from './database/repositories.module';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { EventWebhooksModule } from './event-webhooks/event-webhooks.module';
import { EventsModule } from './events/events.module';
import { FilesModule } from './files/files.module';
import { HealthModule } from './health/health.module';
import { MessagingModule } from './messaging/messaging.module';
import { WorkLoopsModule } from './messaging/work-loops/work-loops.module';
import { ObservabilityModule } from './observability/observability.module';
import { requestLoggingParams } from './observability/request-logging';
import { OperatorAuthModule } from './operators/auth/operator-auth.module';
import { OperatorsModule } from './operators/operators.module';
import { PROVIDER_MODULES, PROVIDER_URL_SECRETS } from './providers';
import { RoutingModule } from './routing/routing.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    const loggableUrls = new LoggableUrls(PROVIDER_URL_SECRETS);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(requestLoggingParams(config, loggableUrls)),
        DatabaseModule.forRoot(databaseUrl),
        RepositoriesModule,
        ScheduleModule.forRoot(),
        ThrottlerModule.forRoot([{ ttl: 60_000, limit: config.env.API_RATE_LIMIT_PER_MINUTE }]),
        CommonModule,
        OperatorAuthModule,
        WorkLoopsModule,
        EventsModule,
        ObservabilityModule.forRoot(loggableUrls),
        MessagingModule,
        RoutingModule,
        ...PROVIDER_MODULES,
        ChannelsModule,
        ChatsModule,
        OperatorsModule,
        ContactsModule,
        FilesModule,
        HealthModule,
        DeadLettersModule,
        EventWebhooksModule,
        ConsoleModule,
      ],
      providers: [{ provide: APP_GUARD, useClass: ApiThrottlerGuard }],
    };
  }
}
