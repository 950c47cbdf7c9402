import { IsOptional, IsString, IsUrl, Matches, MinLength } from 'class-validator';
import { SecretSetting } from '../../messaging/contracts/secret-setting.decorator';

/**
 * Settings of a WhatsApp Cloud API channel (one business phone number). The API base URL and
 * version stay unset unless overridden, so channels follow the defaults of the running release.
 */
export class WhatsAppSettings {
  /** System-user (or business-integration) token with whatsapp_business_messaging; sent as a Bearer token. */
  @SecretSetting()
  @IsString()
  @MinLength(20, { message: 'accessToken must be a WhatsApp system-user access token' })
  accessToken: string;

  /** The Meta app's App Secret: the key of the X-Hub-Signature-256 HMAC on every webhook POST. */
  @SecretSetting()
  @IsString()
  @MinLength(16, { message: 'appSecret must be the App Secret from App settings > Basic' })
  appSecret: string;

  /** Any string of your choice, typed into the App Dashboard too; Meta's GET verification must present it. */
  @SecretSetting()
  @IsString()
  @MinLength(8, { message: 'verifyToken must be at least 8 characters' })
  verifyToken: string;

  /** The Phone number ID (not the phone number) from WhatsApp > API Setup. */
  @Matches(/^\d{1,30}$/, { message: 'phoneNumberId must be the numeric Phone number ID from WhatsApp > API Setup' })
  phoneNumberId: string;

  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'apiBaseUrl must be an http(s) URL' },
  )
  apiBaseUrl?: string;

  /** Graph API version, e.g. v25.0. */
  @IsOptional()
  @Matches(/^v\d+\.\d+$/, { message: 'apiVersion must look like v25.0' })
  apiVersion?: string;
}
