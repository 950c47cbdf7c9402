import { IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type { OperatorStatus } from '../operator.entity';

export const OPERATOR_STATUSES: OperatorStatus[] = ['online', 'busy', 'offline'];

export class CreateOperatorDto {
  @IsString()
  @Length(1, 200)
  name: string;

  @IsEmail()
  email: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  maxActiveChats?: number;
}

export class UpdateOperatorDto {
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @IsOptional()
  @IsEmail()
  email?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  maxActiveChats?: number;
}

export class SetOperatorStatusDto {
  @IsIn(OPERATOR_STATUSES)
  status: OperatorStatus;
}
