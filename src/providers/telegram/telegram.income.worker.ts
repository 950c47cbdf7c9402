import { Injectable } from '@nestjs/common';
import { secretsEqual } from '../../common/crypto/secret-box';
import { AppError } from '../../common/errors/app-error';
import { ChannelContext, InboundRequest } from '../../messaging/contracts/channel-context';
import { IncomeMessageWorker } from '../../messaging/contracts/provider-workers';
import { UnifiedMessage } from '../../messaging/contracts/unified-message';
import { validatePayload } from '../../messaging/contracts/validate-payload';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { toUnifiedMessage } from './telegram.message.mapper';
import { TelegramSettings } from './telegram.settings.dto';
import { TelegramUpdateDto } from './telegram.update.dto';

export const SECRET_TOKEN_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * Receives Telegram webhook updates. Telegram signs nothing: the secret_token given to setWebhook,
 * echoed in a header, is the only proof a request comes from Telegram. Only `message` and
 * `edited_message` updates carry messages; any other update is acknowledged and left out.
 */
@Injectable()
@MessengerProvider({ code: 'telegram', role: 'income' })
export class TelegramIncomeWorker implements IncomeMessageWorker<TelegramSettings> {
  verify(request: InboundRequest, channel: ChannelContext<TelegramSettings>): void {
    const given = request.headers[SECRET_TOKEN_HEADER];
    const expected = channel.settings.webhookSecretToken;
    if (typeof given !== 'string' || !expected || !secretsEqual(given, expected)) {
      throw new AppError('INVALID_SIGNATURE', 'X-Telegram-Bot-Api-Secret-Token is missing or wrong');
    }
  }

  parse(body: unknown): UnifiedMessage[] {
    const update = validatePayload(TelegramUpdateDto, body);
    const message = update.message ?? update.edited_message;
    const unified = message ? toUnifiedMessage(message, update.message === undefined) : null;
    return unified ? [unified] : [];
  }
}
