import { ProviderError } from '../../messaging/contracts/provider-error';

/** Graph's error object, in API answers (`{error: …}`) and, without fbtrace_id, in webhooks. */
export interface GraphError {
  code?: number;
  title?: string;
  message?: string;
  error_data?: { details?: string };
  fbtrace_id?: string;
}

export const OUTSIDE_WINDOW_CODE = 131047;
const OUTSIDE_WINDOW_HINT = 'outside the 24-hour customer service window: send a template';

/** Throughput (130429), pair (131056), WABA (80007) and app (4) rate limits. */
const RATE_LIMIT_CODES = new Set([4, 80007, 130429, 131056]);
/** Unknown or temporary errors, service unavailable, account in maintenance. */
const TEMPORARY_CODES = new Set([1, 2, 131000, 131016, 131057]);

/** Expired or invalid token (0, 190) or missing permission (10, 200–299): an admin must act. */
function isAuthCode(code: number): boolean {
  return code === 0 || code === 190 || code === 10 || (code >= 200 && code <= 299);
}

/** `{error: {...}}` from a Graph answer, when the body has one. */
export function graphErrorOf(body: unknown): GraphError | undefined {
  const error = (body as { error?: unknown } | null | undefined)?.error;
  return typeof error === 'object' && error !== null ? error : undefined;
}

/** WhatsApp's own words, its code and trace id; a message outside the 24-hour window says so first. */
export function describeGraphError(error: GraphError): string {
  const words = [error.message ?? error.title, error.error_data?.details].filter(Boolean).join(': ');
  const ids = [`code ${error.code ?? 'unknown'}`, error.fbtrace_id && `fbtrace_id ${error.fbtrace_id}`]
    .filter(Boolean)
    .join(', ');
  const description = `${words || 'no reason given'} (${ids})`;
  return error.code === OUTSIDE_WINDOW_CODE ? `${OUTSIDE_WINDOW_HINT}: ${description}` : description;
}

/**
 * Classifies a Graph error by its code, as Meta asks ("build your error handling around error
 * codes instead of … HTTP response status codes"); the status only decides for unknown codes.
 */
export function classifyGraphError(status: number, error: GraphError, retryAfterMs?: number): ProviderError {
  const message = describeGraphError(error);
  const code = error.code ?? -1;
  if (RATE_LIMIT_CODES.has(code) || status === 429) return new ProviderError('RATE_LIMITED', message, retryAfterMs);
  if (isAuthCode(code)) return new ProviderError('AUTH_FAILED', message);
  if (TEMPORARY_CODES.has(code) || status >= 500) return new ProviderError('TEMPORARY', message);
  return new ProviderError('PERMANENT', message);
}
