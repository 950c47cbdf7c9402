import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { GRAPH_URL_SECRETS } from '../kits/meta-graph/graph-api';
import { FacebookAttachmentsWorker } from './facebook.attachments.worker';
import { FacebookClient } from './facebook.client';
import { FacebookIncomeWorker } from './facebook.income.worker';
import { FacebookOutcomeWorker } from './facebook.outcome.worker';
import { FacebookProfileProvider } from './facebook.profile.provider';
import { FacebookRegistrationWorker } from './facebook.registration.worker';
import { FacebookInboundSimulator } from './facebook.simulator';

/** Facebook Messenger: one Page per channel, webhooks in, the Graph Send API out. */
@Module({
  imports: [HttpModule],
  providers: [
    FacebookClient,
    FacebookIncomeWorker,
    FacebookOutcomeWorker,
    FacebookProfileProvider,
    FacebookAttachmentsWorker,
    FacebookRegistrationWorker,
    FacebookInboundSimulator,
  ],
})
export class FacebookProviderModule {
  static readonly urlSecrets = GRAPH_URL_SECRETS;
}
