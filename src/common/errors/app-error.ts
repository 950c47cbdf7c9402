import { HttpStatus } from '@nestjs/common';

/** Every error code the API answers with, its HTTP status, and whether it is worth a warning in the log. */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: HttpStatus.BAD_REQUEST, logLevel: 'debug' },
  MALFORMED_JSON: { status: HttpStatus.BAD_REQUEST, logLevel: 'debug' },
  INVALID_PAYLOAD: { status: HttpStatus.BAD_REQUEST, logLevel: 'warn' },
  CHANNEL_CANNOT_SEND: { status: HttpStatus.BAD_REQUEST, logLevel: 'debug' },
  REGISTRATION_REJECTED: { status: HttpStatus.BAD_REQUEST, logLevel: 'warn' },
  UNAUTHORIZED: { status: HttpStatus.UNAUTHORIZED, logLevel: 'debug' },
  INVALID_SIGNATURE: { status: HttpStatus.UNAUTHORIZED, logLevel: 'warn' },
  FORBIDDEN: { status: HttpStatus.FORBIDDEN, logLevel: 'debug' },
  NOT_FOUND: { status: HttpStatus.NOT_FOUND, logLevel: 'debug' },
  CONFLICT: { status: HttpStatus.CONFLICT, logLevel: 'debug' },
  CHAT_CLOSED: { status: HttpStatus.CONFLICT, logLevel: 'debug' },
  RATE_LIMITED: { status: HttpStatus.TOO_MANY_REQUESTS, logLevel: 'warn' },
  PAYLOAD_TOO_LARGE: { status: HttpStatus.PAYLOAD_TOO_LARGE, logLevel: 'warn' },
  UNSUPPORTED_MEDIA_TYPE: { status: HttpStatus.UNSUPPORTED_MEDIA_TYPE, logLevel: 'debug' },
  CHANNEL_INACTIVE: { status: HttpStatus.SERVICE_UNAVAILABLE, logLevel: 'debug' },
  PROVIDER_UNAVAILABLE: { status: HttpStatus.SERVICE_UNAVAILABLE, logLevel: 'warn' },
  NOT_READY: { status: HttpStatus.SERVICE_UNAVAILABLE, logLevel: 'warn' },
  DATABASE_UNAVAILABLE: { status: HttpStatus.SERVICE_UNAVAILABLE, logLevel: 'warn' },
  INTERNAL: { status: HttpStatus.INTERNAL_SERVER_ERROR, logLevel: 'error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** A domain error: a stable code, a message a person can act on, and the field at fault if any. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  static notFound(what: string, id: string): AppError {
    return new AppError('NOT_FOUND', `${what} ${id} does not exist`);
  }

  static validation(field: string, message: string): AppError {
    return new AppError('VALIDATION_FAILED', message, field);
  }
}
