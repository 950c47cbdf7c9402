import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export const ATTACHMENT_KINDS = ['image', 'video', 'audio', 'voice', 'document', 'sticker', 'file'] as const;

export class WebhookSender {
  @IsString()
  @Length(1, 200)
  id: string;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  name?: string;
}

export class WebhookAttachment {
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  url: string;

  @IsIn(ATTACHMENT_KINDS)
  type: (typeof ATTACHMENT_KINDS)[number];

  @IsOptional()
  @IsString()
  @MaxLength(300)
  fileName?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  mimeType?: string;
}

export class WebhookInboundMessage {
  @IsString()
  @Length(1, 200)
  id: string;

  @IsString()
  @Length(1, 200)
  chatId: string;

  @IsDefined()
  @ValidateNested()
  @Type(() => WebhookSender)
  from: WebhookSender;

  @ValidateIf((message: WebhookInboundMessage) => !message.attachments?.length || message.text !== undefined)
  @IsString({ message: 'text is required when there are no attachments' })
  @Length(1, 20_000)
  text?: string;

  /** ISO 8601 string or Unix time in seconds. */
  @ValidateIf((message: WebhookInboundMessage) => typeof message.timestamp !== 'number')
  @IsString({ message: 'timestamp must be an ISO 8601 string or Unix seconds' })
  timestamp: string | number;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => WebhookAttachment)
  attachments?: WebhookAttachment[];
}

/** `{"messages": [...]}`, the body a custom channel POSTs to /webhooks/:channelId. */
export class WebhookInboundBody {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => WebhookInboundMessage)
  messages: WebhookInboundMessage[];
}
