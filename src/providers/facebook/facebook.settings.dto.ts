import { IsOptional, IsString, IsUrl, Matches, MinLength } from 'class-validator';
import { SecretSetting } from '../../messaging/contracts/secret-setting.decorator';
import { GRAPH_API_BASE_URL, GRAPH_API_VERSION } from '../kits/meta-graph/graph-api';

/** Settings of a Facebook Messenger channel: one Facebook Page, reached through the Graph API. */
export class FacebookSettings {
  /** The Page access token (pages_messaging): sends, profiles and the page subscription. */
  @SecretSetting()
  @IsString()
  @MinLength(20, { message: 'pageAccessToken must be a Page access token' })
  pageAccessToken: string;

  /** The Meta app's App Secret: the key of the X-Hub-Signature-256 HMAC on every webhook. */
  @SecretSetting()
  @IsString()
  @MinLength(16, { message: 'appSecret must be the App Secret from the app dashboard' })
  appSecret: string;

  /** Any string of your choice, typed into the app dashboard with the callback URL. */
  @SecretSetting()
  @IsString()
  @MinLength(8, { message: 'verifyToken must be at least 8 characters' })
  verifyToken: string;

  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'apiBaseUrl must be an http(s) URL' },
  )
  apiBaseUrl: string = GRAPH_API_BASE_URL;

  @IsOptional()
  @Matches(/^v\d+\.\d+$/, { message: 'apiVersion must look like v25.0' })
  apiVersion: string = GRAPH_API_VERSION;
}
