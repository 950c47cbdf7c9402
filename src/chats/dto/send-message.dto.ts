import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';

export const OUTBOUND_ATTACHMENT_KINDS = ['image', 'video', 'audio', 'document', 'file'] as const;

export class OutboundAttachmentDto {
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  url: string;

  @IsIn(OUTBOUND_ATTACHMENT_KINDS)
  type: (typeof OUTBOUND_ATTACHMENT_KINDS)[number];

  @IsOptional()
  @IsString()
  @MaxLength(300)
  fileName?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  mimeType?: string;
}

export class SendMessageDto {
  @IsOptional()
  @IsString()
  @Length(1, 100_000)
  text?: string;

  /** Your idempotency key: sending the same key again returns the first message instead of a second one. */
  @IsString()
  @Length(1, 200)
  clientMessageId: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => OutboundAttachmentDto)
  attachments?: OutboundAttachmentDto[];
}
