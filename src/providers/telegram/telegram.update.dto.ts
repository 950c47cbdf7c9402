import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';

/**
 * The parts of a Bot API `Update` this service reads, validated where it reads them. Fields it
 * does not read are let through untouched: the Bot API adds fields often.
 */
export class TelegramUserDto {
  @IsInt()
  id: number;

  @IsString()
  first_name: string;

  @IsOptional()
  @IsString()
  last_name?: string;
}

export class TelegramChatDto {
  @IsInt()
  id: number;

  @IsString()
  type: string;

  @IsOptional()
  @IsString()
  title?: string;

  @IsOptional()
  @IsString()
  first_name?: string;

  @IsOptional()
  @IsString()
  last_name?: string;
}

export class TelegramPhotoSizeDto {
  @IsString()
  file_id: string;

  @IsInt()
  width: number;

  @IsInt()
  height: number;
}

/** Document, Audio, Voice, Video and VideoNote share these fields. */
export class TelegramFileDto {
  @IsString()
  file_id: string;

  @IsOptional()
  @IsString()
  file_name?: string;

  @IsOptional()
  @IsString()
  mime_type?: string;
}

export class TelegramStickerDto {
  @IsString()
  file_id: string;

  @IsBoolean()
  is_animated: boolean;

  @IsBoolean()
  is_video: boolean;
}

export class TelegramLocationDto {
  @IsNumber()
  latitude: number;

  @IsNumber()
  longitude: number;
}

export class TelegramVenueDto {
  @IsString()
  title: string;

  @IsString()
  address: string;
}

export class TelegramContactDto {
  @IsString()
  phone_number: string;

  @IsString()
  first_name: string;

  @IsOptional()
  @IsString()
  last_name?: string;
}

export class TelegramMessageDto {
  /** Unique only inside its chat. */
  @IsInt()
  message_id: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => TelegramUserDto)
  from?: TelegramUserDto;

  @IsDefined()
  @ValidateNested()
  @Type(() => TelegramChatDto)
  chat: TelegramChatDto;

  /** Unix seconds. */
  @IsInt()
  date: number;

  @IsOptional()
  @IsInt()
  edit_date?: number;

  @IsOptional()
  @IsString()
  text?: string;

  @IsOptional()
  @IsString()
  caption?: string;

  /** One picture in several sizes. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => TelegramPhotoSizeDto)
  photo?: TelegramPhotoSizeDto[];

  @IsOptional()
  @ValidateNested()
  @Type(() => TelegramFileDto)
  document?: TelegramFileDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => TelegramFileDto)
  audio?: TelegramFileDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => TelegramFileDto)
  voice?: TelegramFileDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => TelegramFileDto)
  video?: TelegramFileDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => TelegramFileDto)
  video_note?: TelegramFileDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => TelegramStickerDto)
  sticker?: TelegramStickerDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => TelegramLocationDto)
  location?: TelegramLocationDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => TelegramVenueDto)
  venue?: TelegramVenueDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => TelegramContactDto)
  contact?: TelegramContactDto;
}

/** One webhook delivery; at most one of its optional fields is present. */
export class TelegramUpdateDto {
  @IsInt()
  update_id: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => TelegramMessageDto)
  message?: TelegramMessageDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => TelegramMessageDto)
  edited_message?: TelegramMessageDto;
}
