import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBase64,
  IsIn,
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

export const TEST_RECEIPT_STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;

/** A receipt for one of our replies, posted as `{"receipt": {...}}`. */
export class TestReceipt {
  @IsString()
  @Length(1, 200)
  chatId: string;

  /** The id our reply got from the sandbox: `test-<message id>`. */
  @IsString()
  @Length(1, 200)
  messageId: string;

  @IsIn(TEST_RECEIPT_STATUSES)
  status: (typeof TEST_RECEIPT_STATUSES)[number];
}

export class TestReceiptBody {
  @ValidateNested()
  @Type(() => TestReceipt)
  receipt: TestReceipt;
}
