import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { GRAPH_URL_SECRETS } from '../kits/meta-graph/graph-api';
import { WhatsAppAttachmentsWorker } from './whatsapp.attachments.worker';
import { WhatsAppClient } from './whatsapp.client';
import { WhatsAppIncomeWorker } from './whatsapp.income.worker';
import { WhatsAppOutcomeWorker } from './whatsapp.outcome.worker';
import { WhatsAppProfileProvider } from './whatsapp.profile.provider';
import { WhatsAppRegistrationWorker } from './whatsapp.registration.worker';
import { WhatsAppInboundSimulator } from './whatsapp.simulator';

/** WhatsApp Cloud API (Meta Graph API): one channel per business phone number. */
@Module({
  imports: [HttpModule],
  providers: [
    WhatsAppClient,
    WhatsAppIncomeWorker,
    WhatsAppOutcomeWorker,
    WhatsAppProfileProvider,
    WhatsAppAttachmentsWorker,
    WhatsAppRegistrationWorker,
    WhatsAppInboundSimulator,
  ],
})
export class WhatsAppProviderModule {
  static readonly urlSecrets = GRAPH_URL_SECRETS;
}
