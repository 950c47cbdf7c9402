import { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppError } from '../../common/errors/app-error';
import { validationErrorsToAppError } from '../../common/errors/validation-errors';
import { PayloadSchemas } from './payload-schema';

const schemas = new PayloadSchemas();

/**
 * Checks a provider's webhook body against its DTO; AppError INVALID_PAYLOAD naming the field otherwise.
 * A body is checked by the DTO's JSON schema, compiled once; only a body the schema refuses goes
 * through class-validator, which names the field at fault exactly as it always has (or accepts a
 * body that class-transformer's coercion makes valid).
 */
export function validatePayload<T extends object>(type: Type<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('INVALID_PAYLOAD', 'The body must be a JSON object');
  }
  if (schemas.validatorOf(type)(body)) return body as T;
  const payload = plainToInstance(type, body as Record<string, unknown>);
  const errors = validateSync(payload, { forbidUnknownValues: true });
  if (errors.length > 0) throw validationErrorsToAppError(errors, '', 'INVALID_PAYLOAD');
  return payload;
}
