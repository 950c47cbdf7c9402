import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { UrlSecrets } from '../../common/http/loggable-urls';
import { TelegramAttachmentsWorker } from './telegram.attachments.worker';
import { TelegramClient } from './telegram.client';
import { TelegramFileLoader } from './telegram.file-loader';
import { TelegramIncomeWorker } from './telegram.income.worker';
import { TelegramOutcomeWorker } from './telegram.outcome.worker';
import { TelegramProfileProvider } from './telegram.profile.provider';
import { TelegramRegistrationWorker } from './telegram.registration.worker';
import { TelegramInboundSimulator } from './telegram.simulator';

/** Telegram bots through the Bot API: webhooks in, sendMessage/sendPhoto/sendDocument out. */
@Module({
  imports: [HttpModule],
  providers: [
    TelegramClient,
    TelegramFileLoader,
    TelegramIncomeWorker,
    TelegramOutcomeWorker,
    TelegramProfileProvider,
    TelegramAttachmentsWorker,
    TelegramRegistrationWorker,
    TelegramInboundSimulator,
  ],
})
export class TelegramProviderModule {
  /** Every Bot API URL carries the bot token in its path: `/bot<token>/<method>`, `/file/bot<token>/…`. */
  static readonly urlSecrets: UrlSecrets = { pathSecrets: [/(?<=\/bot)\d+:[A-Za-z0-9_-]+/g] };
}
