import { IsOptional, IsUUID, ValidateIf } from 'class-validator';

/** Exactly one of operatorId (hand the chat to that operator) or queueId (put it back to wait in that queue). */
export class TransferChatDto {
  @ValidateIf((dto: TransferChatDto) => !dto.queueId || dto.operatorId !== undefined)
  @IsUUID(undefined, { message: 'give operatorId or queueId' })
  operatorId?: string;

  @IsOptional()
  @IsUUID()
  queueId?: string;
}
