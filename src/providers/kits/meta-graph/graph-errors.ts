import { isAxiosError } from 'axios';
import { decodeBody } from '../http/file-download';
import { parseRetryAfter } from '../../../common/http/retry-after';
import { classifyHttpFailure } from '../http/provider-http-errors';
import { ProviderError } from '../../../messaging/contracts/provider-error';

/**
 * Graph's `error` object: in API answers (`{error: {...}}`) and, without fbtrace_id, in WhatsApp
 * webhooks (`statuses[].errors[]`, `value.errors[]`), where `title` may stand for `message`.
 */
export interface GraphError {
  code?: number;
  error_subcode?: number;
  message?: string;
  title?: string;
  type?: string;
  error_data?: { details?: string };
  fbtrace_id?: string;
  is_transient?: boolean;
}

/*
 * Meta's Graph API error codes (Graph API "Handling errors", the Messenger Platform and WhatsApp
 * Cloud API error code references). Meta asks to build error handling around these codes rather
 * than the HTTP status, which is 400 for most of them, throttling included.
 */

/**
 * Throttling: application (4), user (17), Page (32), application limit reached (341), custom
 * (613), WhatsApp Business Account (80007), WhatsApp throughput (130429) and pair rate (131056).
 */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 341, 613, 80007, 130429, 131056]);
/** The token is expired, revoked or invalid: WhatsApp's AuthException (0), API session (102), OAuth (190). */
const INVALID_TOKEN_CODES = new Set([0, 102, 190]);
/** Permission denied (10) and the API permission range (200–299). */
const PERMISSION_CODES = { single: 10, from: 200, to: 299 };
/**
 * Worth a retry: unknown (1) and service (2) errors, Messenger's temporary send failure (1200),
 * WhatsApp's "something went wrong" (131000), service unavailable (131016) and maintenance (131057).
 */
const TEMPORARY_CODES = new Set([1, 2, 1200, 131000, 131016, 131057]);

/** WhatsApp's re-engagement error: the 24-hour customer service window has closed. */
export const OUTSIDE_WINDOW_CODE = 131047;
const OUTSIDE_WINDOW_HINT = 'outside the 24-hour customer service window: send a template';

/**
 * Classifies a Graph error by its code; the HTTP status decides only for codes not listed.
 * A permission error is the channel's (an admin must grant it: AUTH_FAILED) unless Meta adds a
 * subcode: Messenger names refusals about one recipient that way (10/2018278 outside the 24-hour
 * window, 200/1545041 the person is not available), and those fail only the message.
 */
export function classifyGraphError(error: GraphError, status: number, retryAfterMs?: number): ProviderError {
  const message = describeGraphError(error);
  const code = error.code ?? -1;
  if (RATE_LIMIT_CODES.has(code) || status === 429) return new ProviderError('RATE_LIMITED', message, retryAfterMs);
  if (INVALID_TOKEN_CODES.has(code) || (isPermissionCode(code) && !error.error_subcode)) {
    return new ProviderError('AUTH_FAILED', message);
  }
  if (error.is_transient || TEMPORARY_CODES.has(code) || status >= 500) return new ProviderError('TEMPORARY', message);
  return new ProviderError('PERMANENT', message);
}

function isPermissionCode(code: number): boolean {
  return code === PERMISSION_CODES.single || (code >= PERMISSION_CODES.from && code <= PERMISSION_CODES.to);
}

/**
 * A failed Graph call as a ProviderError: a Graph error by its code, anything else (no answer, a
 * proxy's page) by its HTTP status. The message keeps Meta's words with code, subcode and
 * fbtrace_id, and never a credential: every `secrets` value is masked.
 */
export function graphFailure(error: unknown, secrets: string[]): ProviderError {
  const response = isAxiosError(error) ? error.response : undefined;
  const graphError = response ? graphErrorOf(decodeBody(response.data)) : undefined;
  const failure =
    response && graphError
      ? classifyGraphError(graphError, response.status, parseRetryAfter(response.headers['retry-after']))
      : classifyHttpFailure(error, graphReason);
  return new ProviderError(failure.code, mask(failure.message, secrets), failure.retryAfterMs);
}

/**
 * Meta's words, code and trace id, e.g. `(#10) This message is sent outside of allowed window.
 * (Graph error 10/2018278, fbtrace_id AbC…)`; a closed WhatsApp window says so first.
 */
export function describeGraphError(error: GraphError): string {
  const words = [error.message ?? error.title, error.error_data?.details].filter(Boolean).join(': ');
  const code = error.error_subcode ? `${error.code}/${error.error_subcode}` : `${error.code ?? 'unknown'}`;
  const trace = error.fbtrace_id ? `, fbtrace_id ${error.fbtrace_id}` : '';
  const description = `${words || 'Graph API error'} (Graph error ${code}${trace})`;
  return error.code === OUTSIDE_WINDOW_CODE ? `${OUTSIDE_WINDOW_HINT}: ${description}` : description;
}

/** The `error` of a Graph answer, when the body has one with a numeric code. */
export function graphErrorOf(body: unknown): GraphError | undefined {
  const error = (body as { error?: Partial<GraphError> } | null | undefined)?.error;
  return typeof error === 'object' && error !== null && typeof error.code === 'number' ? error : undefined;
}

/** Meta's words from an error body (JSON or bytes): the Graph error, else a short text. */
export function graphReason(body: unknown): string | undefined {
  const decoded = decodeBody(body);
  const graphError = graphErrorOf(decoded);
  if (graphError) return describeGraphError(graphError);
  return typeof decoded === 'string' ? decoded.slice(0, 300) || undefined : undefined;
}

function mask(text: string, secrets: string[]): string {
  return secrets.filter(Boolean).reduce((masked, secret) => masked.split(secret).join('[redacted]'), text);
}
