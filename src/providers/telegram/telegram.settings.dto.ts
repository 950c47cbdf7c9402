import { IsOptional, IsString, IsUrl, Matches } from 'class-validator';
import { SecretSetting } from '../../messaging/contracts/secret-setting.decorator';

export const TELEGRAM_API_BASE_URL = 'https://api.telegram.org';

/** Settings of a Telegram bot channel. */
export class TelegramSettings {
  /** The bot token BotFather gives (`123456789:AA…`); it goes into every API URL, so it must be path-safe. */
  @SecretSetting()
  @IsString()
  @Matches(/^\d+:[A-Za-z0-9_-]{20,}$/, { message: 'token must be the bot token BotFather gave, like 123456789:AAH…' })
  token: string;

  /** The Bot API server; a self-hosted telegram-bot-api server (or a test fake) goes here. Omitted: the official one. */
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'apiBaseUrl must be an http(s) URL' },
  )
  apiBaseUrl: string = TELEGRAM_API_BASE_URL;

  /** Generated at registration and given to setWebhook; Telegram echoes it in X-Telegram-Bot-Api-Secret-Token. */
  @SecretSetting()
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,256}$/, { message: 'webhookSecretToken must be 1-256 characters of A-Z a-z 0-9 _ -' })
  webhookSecretToken?: string;
}
