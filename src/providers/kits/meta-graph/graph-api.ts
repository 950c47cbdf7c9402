import type { UrlSecrets } from '../../../common/http/loggable-urls';

/** Where the Graph API lives and which version this release speaks, unless a channel says otherwise. */
export const GRAPH_API_BASE_URL = 'https://graph.facebook.com';
export const GRAPH_API_VERSION = 'v25.0';

/** `<base URL>/<version>`, the root of every Graph path. */
export function graphApiRoot(settings: { apiBaseUrl?: string; apiVersion?: string }): string {
  const base = (settings.apiBaseUrl ?? GRAPH_API_BASE_URL).replace(/\/+$/, '');
  return `${base}/${settings.apiVersion ?? GRAPH_API_VERSION}`;
}

/** Graph takes a token as `access_token`; Meta's GET verification carries the verify token. */
export const GRAPH_URL_SECRETS: UrlSecrets = { queryParameters: ['access_token', 'hub.verify_token'] };
