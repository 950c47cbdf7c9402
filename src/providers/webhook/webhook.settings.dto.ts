import { IsOptional, IsString, IsUrl, MinLength } from 'class-validator';
import { SecretSetting } from '../../messaging/contracts/secret-setting.decorator';

const HTTP_URL = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/** Settings of a custom (`webhook`) channel. */
export class WebhookSettings {
  /** Where outgoing messages are POSTed. */
  @IsUrl(HTTP_URL, { message: 'url must be an http(s) URL' })
  url: string;

  /** The HMAC-SHA256 key that signs both directions. */
  @SecretSetting()
  @IsString()
  @MinLength(16, { message: 'secret must be at least 16 characters' })
  secret: string;

  /** Optional: asked `GET <profileUrl>?userId=` for `{name, avatarUrl}`. */
  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'profileUrl must be an http(s) URL' })
  profileUrl?: string;
}
