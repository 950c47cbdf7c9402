import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBase64,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';

export class TestInboundFile {
  @IsString()
  @Length(1, 300)
  fileName: string;

  @IsString()
  @Length(1, 200)
  mimeType: string;

  @IsBase64()
  base64: string;
}

/** One customer message, posted to /webhooks/:channelId of a `test` channel. */
export class TestInboundBody {
  @IsString()
  @Length(1, 200)
  id: string;

  @IsString()
  @Length(1, 200)
  chatId: string;

  @IsString()
  @Length(1, 200)
  userId: string;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  userName?: string;

  @IsOptional()
  @IsString()
  @Length(1, 4_096)
  text?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => TestInboundFile)
  files?: TestInboundFile[];
}
