import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { MessengerRegistrationWorker, RegistrationResult } from '../../messaging/contracts/provider-workers';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { TELEGRAM_CAPABILITIES } from './telegram.capabilities';
import { TelegramClient } from './telegram.client';
import { TelegramSettings } from './telegram.settings.dto';

/** The update types this service reads; Telegram keeps the others to itself. */
export const ALLOWED_UPDATES = ['message', 'edited_message'];

/**
 * Connects a bot: getMe proves the token and names the channel's source (the bot id), then
 * setWebhook points the bot at this channel's URL with a fresh secret_token. Every registration
 * (and every settings update) generates a new secret, so an old one stops working at once.
 */
@Injectable()
@MessengerProvider({ code: 'telegram', role: 'registration' })
export class TelegramRegistrationWorker implements MessengerRegistrationWorker<TelegramSettings> {
  readonly displayName = 'Telegram';
  readonly settingsType = TelegramSettings;
  readonly capabilities = TELEGRAM_CAPABILITIES;

  constructor(private readonly client: TelegramClient) {}

  async register(channel: ChannelContext<TelegramSettings>): Promise<RegistrationResult> {
    if (!channel.webhookUrl.startsWith('https://')) {
      throw new ProviderError(
        'PERMANENT',
        `Telegram only calls HTTPS webhooks, and this channel's is ${channel.webhookUrl}: set PUBLIC_URL to this service's https:// address`,
      );
    }
    const bot = await this.client.getMe(channel.settings);
    const webhookSecretToken = randomBytes(32).toString('base64url');
    await this.client.setWebhook(channel.settings, {
      url: channel.webhookUrl,
      secret_token: webhookSecretToken,
      allowed_updates: ALLOWED_UPDATES,
    });
    return { source: String(bot.id), connected: true, settings: { webhookSecretToken } };
  }

  async check(channel: ChannelContext<TelegramSettings>): Promise<void> {
    await this.client.getMe(channel.settings);
  }
}
