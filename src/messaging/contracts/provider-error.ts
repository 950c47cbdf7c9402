/**
 * How a provider call failed. Providers only classify; the delivery core decides what to do:
 * TEMPORARY and RATE_LIMITED are retried, AUTH_FAILED marks the channel in error, the rest fail.
 */
export type ProviderErrorCode = 'TEMPORARY' | 'RATE_LIMITED' | 'AUTH_FAILED' | 'NOT_FOUND' | 'PERMANENT';

export class ProviderError extends Error {
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    /** For RATE_LIMITED: how long the provider asked us to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.code === 'TEMPORARY' || this.code === 'RATE_LIMITED';
  }
}
