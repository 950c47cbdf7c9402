import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { CHAT_STATUSES, type ChatStatus } from '../chat.entity';

export class ListChatsQuery {
  @IsOptional()
  @IsUUID()
  channelId?: string;

  @IsOptional()
  @IsIn(CHAT_STATUSES)
  status?: ChatStatus;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 20;

  /** The previous page's nextCursor. */
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: '$property must be a cursor from a previous page' })
  cursor?: string;
}

export class ListMessagesQuery {
  /** The previous page's nextCursor: only messages older than it. */
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: '$property must be a cursor from a previous page' })
  before?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 50;
}
