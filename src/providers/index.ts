import { TestProviderModule } from './test/test.module';
import { WebhookProviderModule } from './webhook/webhook.module';

/** The ONLY list of messenger providers: adding one is adding its folder and a line here. */
export const PROVIDER_MODULES = [WebhookProviderModule, TestProviderModule];
