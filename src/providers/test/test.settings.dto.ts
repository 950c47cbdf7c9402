import { IsOptional, IsString, Length, MinLength } from 'class-validator';
import { SecretSetting } from '../../messaging/contracts/secret-setting.decorator';

/** Settings of a `test` channel: a sandbox that needs no messenger account. */
export class TestSettings {
  /** Inbound requests must send it as `X-Test-Token`. */
  @SecretSetting()
  @IsString()
  @MinLength(8, { message: 'token must be at least 8 characters' })
  token: string;

  /** When set, every outgoing message fails with this reason, and the credentials check fails too. */
  @IsOptional()
  @IsString()
  @Length(1, 300)
  failWith?: string;
}
