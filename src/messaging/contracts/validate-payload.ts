import { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppError } from '../../common/errors/app-error';
import { validationErrorsToAppError } from '../../common/errors/validation-errors';

/** Checks a provider's webhook body against its DTO; AppError INVALID_PAYLOAD naming the field otherwise. */
export function validatePayload<T extends object>(type: Type<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('INVALID_PAYLOAD', 'The body must be a JSON object');
  }
  const payload = plainToInstance(type, body);
  const errors = validateSync(payload, { forbidUnknownValues: true });
  if (errors.length > 0) throw validationErrorsToAppError(errors, '', 'INVALID_PAYLOAD');
  return payload;
}
