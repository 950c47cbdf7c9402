import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUUID, Length } from 'class-validator';

export class CreateQueueDto {
  @IsString()
  @Length(1, 200)
  name: string;

  /** A registered routing rule code (`manual`, `round_robin`, `least_busy`, …); `manual` when left out. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  routingRule?: string;

  /** The queue's members; an empty queue when left out. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  operatorIds?: string[];
}

/** Fields left out stay as they are; `operatorIds` replaces the whole membership. */
export class UpdateQueueDto {
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  routingRule?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  operatorIds?: string[];
}
