import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { Response } from 'express';
import { AppError, ERROR_CODES, ErrorCode } from './app-error';

interface BodyParserError {
  type: string;
  status?: number;
}

const BODY_PARSER_ERRORS: Record<string, AppError> = {
  'entity.parse.failed': new AppError('MALFORMED_JSON', 'The request body is not valid JSON'),
  'entity.too.large': new AppError('PAYLOAD_TOO_LARGE', 'The request body is larger than this endpoint accepts'),
  'encoding.unsupported': new AppError('UNSUPPORTED_MEDIA_TYPE', 'The request body encoding is not supported'),
  'charset.unsupported': new AppError('UNSUPPORTED_MEDIA_TYPE', 'The request body charset is not supported'),
};

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.UNAUTHORIZED]: 'UNAUTHORIZED',
  [HttpStatus.FORBIDDEN]: 'FORBIDDEN',
  [HttpStatus.NOT_FOUND]: 'NOT_FOUND',
  [HttpStatus.CONFLICT]: 'CONFLICT',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'PAYLOAD_TOO_LARGE',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'UNSUPPORTED_MEDIA_TYPE',
  [HttpStatus.TOO_MANY_REQUESTS]: 'RATE_LIMITED',
};

/** The one place where errors become HTTP answers: `{statusCode, code, message, field?}`. */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const error = this.toAppError(exception);
    const { logLevel } = ERROR_CODES[error.code];
    if (logLevel === 'error') this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    else this.logger[logLevel](`${error.code}: ${error.message}`);
    response.status(error.status).json({
      statusCode: error.status,
      code: error.code,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
    });
  }

  private toAppError(exception: unknown): AppError {
    if (exception instanceof AppError) return exception;
    if (isBodyParserError(exception)) {
      return BODY_PARSER_ERRORS[exception.type] ?? new AppError('MALFORMED_JSON', 'The request body could not be read');
    }
    // Nest turns body-parser's JSON SyntaxError into a bare BadRequestException; our own validation raises AppError.
    if (exception instanceof BadRequestException) return BODY_PARSER_ERRORS['entity.parse.failed'];
    if (exception instanceof HttpException) {
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

function isBodyParserError(exception: unknown): exception is BodyParserError {
  return typeof exception === 'object' && exception !== null && 'type' in exception && 'status' in exception;
}
