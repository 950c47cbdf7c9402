import { isAxiosError } from 'axios';
import { parseRetryAfter } from '../../../common/http/retry-after';
import { ProviderError } from '../../../messaging/contracts/provider-error';

/**
 * Classifies a failed HTTP call the way most provider APIs mean it: no answer, 5xx and 408 are
 * temporary; 429 is a rate limit (with Retry-After); 401/403 are bad credentials; 404 not found;
 * any other 4xx is permanent. `reason` extracts the provider's own words from the body.
 */
export function classifyHttpFailure(error: unknown, reason: (body: unknown) => string | undefined): ProviderError {
  if (!isAxiosError(error))
    return new ProviderError('TEMPORARY', error instanceof Error ? error.message : String(error));
  if (!error.response) {
    const what =
      error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT'
        ? 'timed out'
        : `failed (${error.code ?? 'network error'})`;
    return new ProviderError('TEMPORARY', `the request ${what}`);
  }
  const { status, headers } = error.response;
  const data: unknown = error.response.data;
  const message = `HTTP ${status}: ${reason(data) ?? 'no reason given'}`;
  if (status === 429) return new ProviderError('RATE_LIMITED', message, parseRetryAfter(headers['retry-after']));
  if (status >= 500 || status === 408) return new ProviderError('TEMPORARY', message);
  if (status === 401 || status === 403) return new ProviderError('AUTH_FAILED', message);
  if (status === 404) return new ProviderError('NOT_FOUND', message);
  return new ProviderError('PERMANENT', message);
}
