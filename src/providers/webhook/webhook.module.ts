import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { WebhookAttachmentsWorker } from './webhook.attachments.worker';
import { WebhookClient } from './webhook.client';
import { WebhookIncomeWorker } from './webhook.income.worker';
import { WebhookOutcomeWorker } from './webhook.outcome.worker';
import { WebhookProfileProvider } from './webhook.profile.provider';
import { WebhookRegistrationWorker } from './webhook.registration.worker';
import { WebhookInboundSimulator } from './webhook.simulator';

/** The custom connector: any system that speaks the documented, HMAC-signed JSON shape. */
@Module({
  imports: [HttpModule],
  providers: [
    WebhookClient,
    WebhookIncomeWorker,
    WebhookOutcomeWorker,
    WebhookProfileProvider,
    WebhookAttachmentsWorker,
    WebhookRegistrationWorker,
    WebhookInboundSimulator,
  ],
})
export class WebhookProviderModule {}
