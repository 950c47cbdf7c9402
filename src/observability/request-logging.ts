import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';

const PINO_LEVELS = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' } as const;

/** Query parameters that carry secrets (Meta's verify token, Graph's access token). */
const SECRET_QUERY = /([?&](?:hub\.verify_token|access_token|token|crc_token)=)[^&]*/gi;
/** Telegram puts the bot token in the path. */
const TOKEN_IN_PATH = /\/bot\d+:[A-Za-z0-9_-]+/g;
/** A receiver URL may carry credentials before its host. */
const USER_INFO = /\/\/[^/@\s]+@/g;

/** A URL fit for a log line: secrets in the path or the query replaced. */
export function loggableUrl(url: string): string {
  return url
    .replace(USER_INFO, '//[redacted]@')
    .replace(TOKEN_IN_PATH, '/bot[redacted]')
    .replace(SECRET_QUERY, '$1[redacted]');
}

const ID_IN_PATH = (segment: string) => new RegExp(`/${segment}/([0-9a-f-]{36})`);

/**
 * Structured JSON logs (pino) with a request id (taken from X-Request-Id or made up, and sent
 * back), the channel or chat a request is about, and every credential-bearing header redacted.
 * In a terminal outside production the output is human-readable.
 */
export function requestLoggingParams(config: AppConfig): Params {
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
          url: loggableUrl(request.url),
        }),
      },
      redact: { paths: ['req.headers', 'res.headers'], remove: true },
      autoLogging: { ignore: (request: IncomingMessage) => (request.url ?? '').startsWith('/health') },
      ...(pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
    },
  };
}
