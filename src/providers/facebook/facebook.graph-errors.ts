import { isAxiosError } from 'axios';
import { decodeBody } from '../../common/http/file-download';
import { classifyHttpFailure, parseRetryAfter } from '../../common/http/provider-http-errors';
import { ProviderError } from '../../messaging/contracts/provider-error';

/** The `error` object of a failed Graph API call. */
export interface GraphError {
  message?: string;
  type?: string;
  code: number;
  error_subcode?: number;
  fbtrace_id?: string;
  is_transient?: boolean;
}

/** Graph throttling: application (4), user (17), Page (32) and custom (613) rate limits. */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
/** "An unexpected error has occurred. Please retry" (2) and "Temporary send message failure" (1200). */
const TEMPORARY_CODES = new Set([2, 1200]);
const INVALID_ACCESS_TOKEN = 190;

/**
 * Classifies a failed Graph call by its `error.code`, not its HTTP status (Graph answers most
 * errors with 400, throttling included). The message keeps Meta's words with code, subcode and
 * fbtrace_id, and never a credential: every `secrets` value is masked.
 */
export function graphFailure(error: unknown, secrets: string[]): ProviderError {
  const graphError = isAxiosError(error) ? graphErrorOf(decodeBody(error.response?.data)) : undefined;
  const failure =
    isAxiosError(error) && error.response && graphError
      ? classifyGraphError(graphError, error.response.status, error.response.headers['retry-after'])
      : classifyHttpFailure(error, graphReason);
  return new ProviderError(failure.code, mask(failure.message, secrets), failure.retryAfterMs);
}

function classifyGraphError(error: GraphError, status: number, retryAfter: unknown): ProviderError {
  const message = describeGraphError(error);
  if (RATE_LIMIT_CODES.has(error.code)) return new ProviderError('RATE_LIMITED', message, parseRetryAfter(retryAfter));
  if (error.code === INVALID_ACCESS_TOKEN) return new ProviderError('AUTH_FAILED', message);
  if (error.is_transient || TEMPORARY_CODES.has(error.code) || status >= 500) {
    return new ProviderError('TEMPORARY', message);
  }
  return new ProviderError('PERMANENT', message);
}

/** `(#10) This message is sent outside of allowed window. (Graph error 10/2018278, fbtrace_id AbC…)` */
export function describeGraphError(error: GraphError): string {
  const code = error.error_subcode ? `${error.code}/${error.error_subcode}` : `${error.code}`;
  const trace = error.fbtrace_id ? `, fbtrace_id ${error.fbtrace_id}` : '';
  return `${error.message ?? 'Graph API error'} (Graph error ${code}${trace})`;
}

export function graphErrorOf(body: unknown): GraphError | undefined {
  const error = (body as { error?: Partial<GraphError> } | null)?.error;
  return typeof error === 'object' && error !== null && typeof error.code === 'number'
    ? (error as GraphError)
    : undefined;
}

/** Meta's words from an error body: the Graph error, else a short text. */
export function graphReason(body: unknown): string | undefined {
  const graphError = graphErrorOf(body);
  if (graphError) return describeGraphError(graphError);
  return typeof body === 'string' ? body.slice(0, 300) || undefined : undefined;
}

function mask(text: string, secrets: string[]): string {
  return secrets.filter(Boolean).reduce((masked, secret) => masked.split(secret).join('[redacted]'), text);
}
