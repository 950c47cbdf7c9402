import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { UrlSecrets } from '../../common/http/loggable-urls';
import { XAccessTokens } from './x.access-tokens';
import { XAttachmentsWorker } from './x.attachments.worker';
import { XClient } from './x.client';
import { XIncomeWorker } from './x.income.worker';
import { XOutcomeWorker } from './x.outcome.worker';
import { XInboundPoller } from './x.poller';
import { XProfileProvider } from './x.profile.provider';
import { XRegistrationWorker } from './x.registration.worker';

/** X (Twitter) API v2 direct messages: a pull provider, polled with OAuth 2.0 user tokens. */
@Module({
  imports: [HttpModule],
  providers: [
    XClient,
    XAccessTokens,
    XIncomeWorker,
    XOutcomeWorker,
    XProfileProvider,
    XAttachmentsWorker,
    XRegistrationWorker,
    XInboundPoller,
  ],
})
export class XProviderModule {
  /** X's CRC check of a webhook URL carries `crc_token`. */
  static readonly urlSecrets: UrlSecrets = { queryParameters: ['crc_token'] };
}
