import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AppError, ERROR_CODES, ErrorCode } from './app-error';

/**
 * Fastify's body-reading errors (FST_ERR_CTP_INVALID_JSON_BODY, FST_ERR_CTP_EMPTY_JSON_BODY,
 * FST_ERR_CTP_BODY_TOO_LARGE, FST_ERR_CTP_INVALID_MEDIA_TYPE) reach filters as bare HttpExceptions of
 * their status, the JSON parser's SyntaxError as a BadRequestException: Nest keeps no FST code.
 * Our own code raises AppError, so a bare 400 here is always a body that could not be read.
 */
const BODY_READING_ERRORS: Partial<Record<number, AppError>> = {
  [HttpStatus.BAD_REQUEST]: new AppError('MALFORMED_JSON', 'The request body is not valid JSON'),
  [HttpStatus.PAYLOAD_TOO_LARGE]: new AppError(
    'PAYLOAD_TOO_LARGE',
    'The request body is larger than this endpoint accepts',
  ),
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: new AppError(
    'UNSUPPORTED_MEDIA_TYPE',
    'The request body content type is not supported',
  ),
};

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.UNAUTHORIZED]: 'UNAUTHORIZED',
  [HttpStatus.FORBIDDEN]: 'FORBIDDEN',
  [HttpStatus.NOT_FOUND]: 'NOT_FOUND',
  [HttpStatus.CONFLICT]: 'CONFLICT',
  [HttpStatus.TOO_MANY_REQUESTS]: 'RATE_LIMITED',
};

/** The one place where errors become HTTP answers: `{statusCode, code, message, field?}`. */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const error = this.toAppError(exception);
    const { logLevel } = ERROR_CODES[error.code];
    if (logLevel === 'error') this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    else this.logger[logLevel](`${error.code}: ${error.message}`);
    void reply.status(error.status).send({
      statusCode: error.status,
      code: error.code,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
    });
  }

  private toAppError(exception: unknown): AppError {
    if (exception instanceof AppError) return exception;
    if (exception instanceof HttpException) {
      const bodyReadingError = BODY_READING_ERRORS[exception.getStatus()];
      if (bodyReadingError) return bodyReadingError;
      const code = STATUS_CODES[exception.getStatus()];
      if (code) return new AppError(code, exception.message);
    }
    if (isDatabaseUnavailable(exception)) {
      return new AppError('DATABASE_UNAVAILABLE', 'The database is unavailable; nothing was stored, try again shortly');
    }
    return new AppError('INTERNAL', 'Something went wrong on our side; the request was not completed');
  }
}

/** Connection failures and server shutdowns: the request can succeed later (providers retry a 503). */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const UNAVAILABLE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

function isDatabaseUnavailable(exception: unknown): boolean {
  // Duck-typed: socket errors come from Node's own realm, where `instanceof Error` may not hold.
  if (typeof exception !== 'object' || exception === null) return false;
  const { code, message } = exception as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_NETWORK_CODES.has(code))) return true;
  return (
    typeof message === 'string' &&
    /Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(message)
  );
}
