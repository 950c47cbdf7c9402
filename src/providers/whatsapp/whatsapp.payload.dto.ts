import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsDefined,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

/**
 * The parts of a WhatsApp Cloud API `messages` webhook this service reads. Fields it does not
 * read are not declared, so new fields Meta adds never make a delivery fail.
 */
export const WHATSAPP_OBJECT = 'whatsapp_business_account';

/** Message types whose content lives in a media object of the same name. */
export const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

const isType =
  (...types: readonly string[]) =>
  (message: WhatsAppInboundMessage) =>
    types.includes(message.type);

/** Unix seconds, which WhatsApp sends as a string; a number is accepted too. */
const UNIX_SECONDS = /^\d{1,12}$/;

export class WhatsAppMetadata {
  @IsString()
  @Length(1, 100)
  phone_number_id: string;
}

export class WhatsAppProfile {
  @IsOptional()
  @IsString()
  name?: string;
}

export class WhatsAppContact {
  @IsString()
  wa_id: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => WhatsAppProfile)
  profile?: WhatsAppProfile;
}

export class WhatsAppText {
  @IsString()
  body: string;
}

export class WhatsAppMedia {
  @IsString()
  @Length(1, 300)
  id: string;

  @IsOptional()
  @IsString()
  mime_type?: string;

  @IsOptional()
  @IsString()
  caption?: string;

  /** Documents only. */
  @IsOptional()
  @IsString()
  filename?: string;

  /** Audio only: true for a voice note. */
  @IsOptional()
  @IsBoolean()
  voice?: boolean;
}

export class WhatsAppLocation {
  @IsNumber()
  latitude: number;

  @IsNumber()
  longitude: number;

  @IsOptional()
  @IsString()
  name?: string;

  @IsOptional()
  @IsString()
  address?: string;
}

export class WhatsAppInboundMessage {
  /** The wamid: the deduplication key. */
  @IsString()
  @Length(1, 200)
  id: string;

  /** The customer's WhatsApp id (wa_id). */
  @IsString()
  @Length(1, 200)
  from: string;

  @ValidateIf((message: WhatsAppInboundMessage) => typeof message.timestamp !== 'number')
  @Matches(UNIX_SECONDS, { message: 'timestamp must be Unix seconds' })
  timestamp: string | number;

  @IsString()
  type: string;

  @ValidateIf(isType('text'))
  @IsDefined()
  @ValidateNested()
  @Type(() => WhatsAppText)
  text?: WhatsAppText;

  @ValidateIf(isType('image'))
  @IsDefined()
  @ValidateNested()
  @Type(() => WhatsAppMedia)
  image?: WhatsAppMedia;

  @ValidateIf(isType('video'))
  @IsDefined()
  @ValidateNested()
  @Type(() => WhatsAppMedia)
  video?: WhatsAppMedia;

  @ValidateIf(isType('audio'))
  @IsDefined()
  @ValidateNested()
  @Type(() => WhatsAppMedia)
  audio?: WhatsAppMedia;

  @ValidateIf(isType('document'))
  @IsDefined()
  @ValidateNested()
  @Type(() => WhatsAppMedia)
  document?: WhatsAppMedia;

  @ValidateIf(isType('sticker'))
  @IsDefined()
  @ValidateNested()
  @Type(() => WhatsAppMedia)
  sticker?: WhatsAppMedia;

  @ValidateIf(isType('location'))
  @IsDefined()
  @ValidateNested()
  @Type(() => WhatsAppLocation)
  location?: WhatsAppLocation;
}

export class WhatsAppErrorData {
  @IsOptional()
  @IsString()
  details?: string;
}

/** An error as WhatsApp reports it in webhooks (`statuses[].errors[]`) and in API answers. */
export class WhatsAppError {
  @IsOptional()
  @IsInt()
  code?: number;

  @IsOptional()
  @IsString()
  title?: string;

  @IsOptional()
  @IsString()
  message?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => WhatsAppErrorData)
  error_data?: WhatsAppErrorData;
}

export class WhatsAppStatus {
  /** The wamid of OUR outgoing message. */
  @IsString()
  @Length(1, 200)
  id: string;

  /** sent | delivered | read | failed | played… */
  @IsString()
  status: string;

  @IsOptional()
  @IsString()
  recipient_id?: string;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => WhatsAppError)
  errors?: WhatsAppError[];
}

export class WhatsAppMessagesValue {
  @IsDefined()
  @ValidateNested()
  @Type(() => WhatsAppMetadata)
  metadata: WhatsAppMetadata;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => WhatsAppContact)
  contacts?: WhatsAppContact[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => WhatsAppInboundMessage)
  messages?: WhatsAppInboundMessage[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => WhatsAppStatus)
  statuses?: WhatsAppStatus[];

  /** App-level errors (e.g. throughput) that name no message. */
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => WhatsAppError)
  errors?: WhatsAppError[];
}

export class WhatsAppChange {
  @IsString()
  field: string;

  /** Only the `messages` field is read; other fields (account updates, templates…) keep their own shapes. */
  @ValidateIf((change: WhatsAppChange) => change.field === 'messages')
  @IsDefined()
  @ValidateNested()
  @Type(() => WhatsAppMessagesValue)
  value: WhatsAppMessagesValue;
}

export class WhatsAppEntry {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => WhatsAppChange)
  changes: WhatsAppChange[];
}

/** `{object: "whatsapp_business_account", entry: [{id, changes: [{field, value}]}]}` */
export class WhatsAppWebhookBody {
  @IsString()
  object: string;

  @ValidateIf((body: WhatsAppWebhookBody) => body.object === WHATSAPP_OBJECT)
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => WhatsAppEntry)
  entry: WhatsAppEntry[];
}
