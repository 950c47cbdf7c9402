import { Injectable } from '@nestjs/common';
import { ChannelContext, InboundRequest } from '../../messaging/contracts/channel-context';
import {
  InboundRequestSimulator,
  SimulatedMessage,
  SimulationRefused,
  simulatedJsonRequest,
  unixSeconds,
} from '../../messaging/contracts/inbound-simulation';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { SECRET_TOKEN_HEADER } from './telegram.income.worker';
import { TelegramSettings } from './telegram.settings.dto';

/** A `message` update as Telegram posts it, with the secret token registration gave setWebhook. */
@Injectable()
@MessengerProvider({ code: 'telegram', role: 'simulator' })
export class TelegramInboundSimulator implements InboundRequestSimulator<TelegramSettings> {
  simulate(message: SimulatedMessage, channel: ChannelContext<TelegramSettings>): InboundRequest {
    const { webhookSecretToken } = channel.settings;
    if (!webhookSecretToken) {
      throw new SimulationRefused(
        'unsupported',
        'This Telegram channel has no webhookSecretToken yet; register it again',
      );
    }
    const chatId = telegramNumber(message.chatId ?? message.from.id, '--chat');
    const userId = telegramNumber(message.from.id, '--from');
    const messageId = message.id === undefined ? Date.now() % 2_000_000_000 : telegramNumber(message.id, '--id');
    const firstName = message.from.name ?? `User ${userId}`;
    return simulatedJsonRequest(
      {
        update_id: messageId,
        message: {
          message_id: messageId,
          from: { id: userId, is_bot: false, first_name: firstName },
          chat:
            chatId < 0
              ? { id: chatId, type: 'group', title: `Group ${chatId}` }
              : { id: chatId, type: 'private', first_name: firstName },
          date: unixSeconds(),
          text: message.text,
        },
      },
      () => ({ [SECRET_TOKEN_HEADER]: webhookSecretToken }),
    );
  }
}

function telegramNumber(value: string, option: string): number {
  if (!/^-?\d{1,15}$/.test(value))
    throw new SimulationRefused('usage', `On telegram channels ${option} must be a number`);
  return Number(value);
}
