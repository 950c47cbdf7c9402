import { IsInt, IsOptional, IsString, IsUrl, Length, Max, Min } from 'class-validator';
import { SecretSetting } from '../../messaging/contracts/secret-setting.decorator';

export const X_API_BASE_URL = 'https://api.x.com';

/**
 * Settings of an `x` channel: the OAuth 2.0 (Authorization Code with PKCE) app and the user
 * tokens it obtained with the scopes `dm.read dm.write users.read tweet.read offline.access`.
 */
export class XSettings {
  /** The app's OAuth 2.0 Client ID (developer portal, "Keys and tokens"). */
  @IsString()
  @Length(1, 200)
  clientId: string;

  /** Only for confidential clients: refreshes are then sent with HTTP Basic auth. */
  @SecretSetting()
  @IsOptional()
  @IsString()
  @Length(1, 500)
  clientSecret?: string;

  /** The user's refresh token; X rotates it on every refresh, and the service keeps the newest. */
  @SecretSetting()
  @IsString()
  @Length(1, 2000)
  refreshToken: string;

  /** An access token from the same authorization, used until X refuses it. */
  @SecretSetting()
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  accessToken?: string;

  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'apiBaseUrl must be an http(s) URL' },
  )
  apiBaseUrl: string = X_API_BASE_URL;

  /** Seconds between two reads of the account's direct messages. */
  @IsInt()
  @Min(5)
  @Max(3600)
  pollIntervalSeconds: number = 30;

  /** `max_results` of each GET /2/dm_events page. */
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize: number = 50;
}
