import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { LevelWithSilent } from 'pino';
import { startTime } from 'pino-http';
import type { LoggableUrls } from '../common/http/loggable-urls';
import type { AppConfig } from '../config/app-config';

const PINO_LEVELS = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' } as const;

/** A request slower than this is logged at 'warn' whatever its status. */
export const SLOW_REQUEST_MS = 1000;

const ID_IN_PATH = (segment: string) => new RegExp(`/${segment}/([0-9a-f-]{36})`);
const CHANNEL_ID_IN_PATH = ID_IN_PATH('(?:webhooks|admin/channels)');
const CHAT_ID_IN_PATH = ID_IN_PATH('chats');

/**
 * The request's id: its X-Request-Id when that is a plain token, else a new one. Fastify assigns it
 * (the adapter's `genReqId`) and hands it to pino-http as `req.id`; `createApp` sends it back.
 */
export function requestIdOf(request: Pick<IncomingMessage, 'headers'>): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
}

/**
 * Structured JSON logs (pino) with a request id (taken from X-Request-Id or made up, and sent
 * back), the channel or chat a request is about, every credential-bearing header and URL part redacted.
 * A request's own line is written for errors (5xx at 'error'), for refusals (4xx at 'info') and for
 * slow requests ('warn'); a quick success is a 'debug' line, written only at LOG_LEVEL=debug.
 * In a terminal outside production the output is human-readable.
 */
export function requestLoggingParams(config: AppConfig, loggableUrls: LoggableUrls): Params {
  const pretty = process.stdout.isTTY && config.env.NODE_ENV !== 'production';
  return {
    pinoHttp: {
      level: PINO_LEVELS[config.env.LOG_LEVEL],
      customProps: (request: IncomingMessage) => ({
        channelId: CHANNEL_ID_IN_PATH.exec(request.url ?? '')?.[1],
        chatId: CHAT_ID_IN_PATH.exec(request.url ?? '')?.[1],
      }),
      serializers: {
        req: (request: { id: string; method: string; url: string }) => ({
          id: request.id,
          method: request.method,
          url: loggableUrls.of(request.url),
        }),
      },
      redact: { paths: ['req.headers', 'res.headers'], remove: true },
      customLogLevel: requestLogLevel(config.env.LOG_LEVEL === 'debug' || config.env.LOG_LEVEL === 'verbose'),
      autoLogging: { ignore: (request: IncomingMessage) => (request.url ?? '').startsWith('/health') },
      ...(pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
    },
  };
}

/** 'silent' rather than a disabled 'debug' spares pino-http building the line's bindings at all. */
function requestLogLevel(
  debugEnabled: boolean,
): (request: IncomingMessage, response: ServerResponse & { [startTime]?: number }, error?: Error) => LevelWithSilent {
  const quickSuccess = debugEnabled ? 'debug' : 'silent';
  return (_request, response, error) => {
    if (error || response.statusCode >= 500) return 'error';
    if (response.statusCode >= 400) return 'info';
    return Date.now() - (response[startTime] ?? Date.now()) >= SLOW_REQUEST_MS ? 'warn' : quickSuccess;
  };
}
