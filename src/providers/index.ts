import { ProviderModule } from '../messaging/contracts/provider-module';
import { FacebookProviderModule } from './facebook/facebook.module';
import { TelegramProviderModule } from './telegram/telegram.module';
import { TestProviderModule } from './test/test.module';
import { WebhookProviderModule } from './webhook/webhook.module';
import { WhatsAppProviderModule } from './whatsapp/whatsapp.module';
import { XProviderModule } from './x/x.module';

/** The ONLY list of messenger providers: adding one is adding its folder and a line here. */
export const PROVIDER_MODULES: ProviderModule[] = [
  FacebookProviderModule,
  TelegramProviderModule,
  WebhookProviderModule,
  WhatsAppProviderModule,
  XProviderModule,
  TestProviderModule,
];

/** What every provider asks logs to redact from URLs. */
export const PROVIDER_URL_SECRETS = PROVIDER_MODULES.flatMap((module) => module.urlSecrets ?? []);
