/** What in a URL carries a credential, never to reach a log line. */
export interface UrlSecrets {
  /** Query parameters whose values are credentials, e.g. Meta's `hub.verify_token`. */
  queryParameters?: string[];
  /** Patterns whose whole match is a credential in the path, e.g. Telegram's bot token after `/bot`. */
  pathSecrets?: RegExp[];
}

/** A `token` query parameter may be a credential in any URL. */
const GENERIC_SECRET_PARAMETERS = ['token'];
/** A receiver URL may carry credentials before its host. */
const USER_INFO = /\/\/[^/@\s]+@/g;

/** Makes URLs fit for a log line: user info, a `token` parameter and every declared secret replaced. */
export class LoggableUrls {
  private readonly secretQuery: RegExp;
  private readonly pathSecrets: RegExp[];

  constructor(declared: UrlSecrets[]) {
    const parameters = new Set([
      ...GENERIC_SECRET_PARAMETERS,
      ...declared.flatMap((secrets) => secrets.queryParameters ?? []),
    ]);
    this.secretQuery = new RegExp(`([?&](?:${[...parameters].map(escapeRegExp).join('|')})=)[^&]*`, 'gi');
    this.pathSecrets = declared.flatMap((secrets) => secrets.pathSecrets ?? []).map(everyMatch);
  }

  of(url: string): string {
    const withoutUserInfo = url.replace(USER_INFO, '//[redacted]@');
    const withoutPathSecrets = this.pathSecrets.reduce(
      (redacted, secret) => redacted.replace(secret, '[redacted]'),
      withoutUserInfo,
    );
    return withoutPathSecrets.replace(this.secretQuery, '$1[redacted]');
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The pattern with the `g` flag, so that every occurrence is replaced. */
function everyMatch(pattern: RegExp): RegExp {
  return pattern.flags.includes('g') ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
}
