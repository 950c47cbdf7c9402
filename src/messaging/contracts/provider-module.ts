import type { Type } from '@nestjs/common';

/** What in a URL carries a provider's credential, never to reach a log line. */
export interface UrlSecrets {
  /** Query parameters whose values are credentials, e.g. Meta's `hub.verify_token`. */
  queryParameters?: string[];
  /** Patterns whose whole match is a credential in the path, e.g. Telegram's bot token after `/bot`. */
  pathSecrets?: RegExp[];
}

/**
 * A provider's Nest module, as src/providers/index.ts lists it. Besides registering the workers it
 * declares, as static data read before the application starts, what logs must redact.
 */
export interface ProviderModule extends Type<unknown> {
  readonly urlSecrets?: UrlSecrets;
}
