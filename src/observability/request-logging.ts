import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { PROVIDER_URL_SECRETS } from '../providers';

const PINO_LEVELS = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' } as const;

/** Query parameters that carry secrets: a generic `token`, and those the providers declare. */
const SECRET_QUERY_PARAMETERS = new Set([
  'token',
  ...PROVIDER_URL_SECRETS.flatMap((secrets) => secrets.queryParameters ?? []),
]);
const SECRET_QUERY = new RegExp(`([?&](?:${[...SECRET_QUERY_PARAMETERS].map(escapeRegExp).join('|')})=)[^&]*`, 'gi');
/** Credentials the providers put in a path (Telegram's bot token), each replaced wherever it occurs. */
const PATH_SECRETS = PROVIDER_URL_SECRETS.flatMap((secrets) => secrets.pathSecrets ?? []).map(
  (secret) => new RegExp(secret.source, secret.flags.includes('g') ? secret.flags : `${secret.flags}g`),
);
/** A receiver URL may carry credentials before its host. */
const USER_INFO = /\/\/[^/@\s]+@/g;

/** A URL fit for a log line: secrets in the user info, the path or the query replaced. */
export function loggableUrl(url: string): string {
  const withoutUserInfo = url.replace(USER_INFO, '//[redacted]@');
  const withoutPathSecrets = PATH_SECRETS.reduce(
    (redacted, secret) => redacted.replace(secret, '[redacted]'),
    withoutUserInfo,
  );
  return withoutPathSecrets.replace(SECRET_QUERY, '$1[redacted]');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
