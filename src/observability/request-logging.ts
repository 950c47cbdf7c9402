import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { LoggableUrls } from '../common/http/loggable-urls';
import type { AppConfig } from '../config/app-config';

const PINO_LEVELS = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' } as const;

const ID_IN_PATH = (segment: string) => new RegExp(`/${segment}/([0-9a-f-]{36})`);

/**
 * Structured JSON logs (pino) with a request id (taken from X-Request-Id or made up, and sent
 * back), the channel or chat a request is about, every credential-bearing header and URL part redacted.
 * In a terminal outside production the output is human-readable.
 */
export function requestLoggingParams(config: AppConfig, loggableUrls: LoggableUrls): Params {
  const pretty = process.stdout.isTTY && config.env.NODE_ENV !== 'production';
  return {
    pinoHttp: {
      level: PINO_LEVELS[config.env.LOG_LEVEL],
      genReqId: (request: IncomingMessage, response: ServerResponse) => {
        const given = request.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
        response.setHeader('x-request-id', id);
        return id;
      },
      customProps: (request: IncomingMessage) => ({
        channelId: ID_IN_PATH('(?:webhooks|admin/channels)').exec(request.url ?? '')?.[1],
        chatId: ID_IN_PATH('chats').exec(request.url ?? '')?.[1],
      }),
      serializers: {
        req: (request: { id: string; method: string; url: string }) => ({
          id: request.id,
          method: request.method,
          url: loggableUrls.of(request.url),
        }),
      },
      redact: { paths: ['req.headers', 'res.headers'], remove: true },
      autoLogging: { ignore: (request: IncomingMessage) => (request.url ?? '').startsWith('/health') },
      ...(pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
    },
  };
}
