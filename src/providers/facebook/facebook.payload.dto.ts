import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsDefined,
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  Length,
  Max,
  ValidateNested,
} from 'class-validator';

/** The largest time a JS Date holds, in ms. */
const MAX_DATE_MS = 8.64e15;

/** A Page or a Page-scoped user id (PSID); Meta sends ids as strings. */
export class GraphParty {
  @IsString()
  @Length(1, 64)
  id: string;
}

export class GraphCoordinates {
  @IsNumber()
  lat: number;

  @IsNumber()
  long: number;
}

/** `payload` of a message attachment: a CDN `url` for media, `coordinates` for a (legacy) location. */
export class GraphAttachmentPayload {
  @IsOptional()
  @IsString()
  url?: string;

  @IsOptional()
  @IsString()
  title?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => GraphCoordinates)
  coordinates?: GraphCoordinates;
}

export class GraphAttachment {
  /** image, video, audio, file, sticker, location, fallback, template, reel, ig_reel… */
  @IsString()
  type: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => GraphAttachmentPayload)
  payload?: GraphAttachmentPayload | null;

  /** Legacy `fallback` attachments carry the link beside the payload. */
  @IsOptional()
  @IsString()
  title?: string;

  @IsOptional()
  @IsString()
  url?: string;
}

export class GraphMessage {
  @IsString()
  @Length(1, 300)
  mid: string;

  @IsOptional()
  @IsBoolean()
  is_echo?: boolean;

  @IsOptional()
  @IsString()
  text?: string;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => GraphAttachment)
  attachments?: GraphAttachment[];
}

export class GraphDelivery {
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  mids?: string[];

  /** Unix ms: every message sent before it was delivered. */
  @IsInt()
  @IsPositive()
  @Max(MAX_DATE_MS)
  watermark: number;
}

export class GraphRead {
  /** Unix ms: every message sent before it was read. */
  @IsInt()
  @IsPositive()
  @Max(MAX_DATE_MS)
  watermark: number;
}

export class GraphPostback {
  @IsOptional()
  @IsString()
  @Length(1, 300)
  mid?: string;

  @IsOptional()
  @IsString()
  title?: string;

  @IsOptional()
  @IsString()
  payload?: string;
}

/** One `entry[].messaging[]` event; exactly one of message, delivery, read, postback… is set. */
export class GraphMessagingEvent {
  @IsDefined()
  @ValidateNested()
  @Type(() => GraphParty)
  sender: GraphParty;

  @IsDefined()
  @ValidateNested()
  @Type(() => GraphParty)
  recipient: GraphParty;

  /** Unix milliseconds. */
  @IsInt()
  @IsPositive()
  @Max(MAX_DATE_MS)
  timestamp: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => GraphMessage)
  message?: GraphMessage;

  @IsOptional()
  @ValidateNested()
  @Type(() => GraphDelivery)
  delivery?: GraphDelivery;

  @IsOptional()
  @ValidateNested()
  @Type(() => GraphRead)
  read?: GraphRead;

  @IsOptional()
  @ValidateNested()
  @Type(() => GraphPostback)
  postback?: GraphPostback;
}

export class GraphEntry {
  /** The Page id. */
  @IsString()
  @Length(1, 64)
  id: string;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => GraphMessagingEvent)
  messaging?: GraphMessagingEvent[];
}

/** The body Meta POSTs for the `page` object: `{object, entry: [{id, time, messaging: [...]}]}`. */
export class GraphWebhookBody {
  @IsString()
  object: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => GraphEntry)
  entry: GraphEntry[];
}
