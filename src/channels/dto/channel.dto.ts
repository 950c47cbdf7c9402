import { IsBoolean, IsObject, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';

export class RegisterChannelDto {
  @IsString()
  @Length(1, 200)
  name: string;

  @IsString()
  @Matches(/^[a-z0-9_-]{1,64}$/, { message: 'provider must be a provider code such as "webhook"' })
  provider: string;

  @IsObject()
  settings: Record<string, unknown>;

  @IsOptional()
  @IsUUID()
  queueId?: string;

  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

/** Settings given here are merged over the stored ones, so secrets need not be sent again. */
export class UpdateChannelDto {
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;

  @IsOptional()
  @IsUUID()
  queueId?: string | null;

  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
