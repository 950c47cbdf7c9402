import { AppError } from '../../common/errors/app-error';

/**
 * How a provider call failed. Providers only classify; the core's provider-failure policy
 * (work-queue/provider-failure.policy.ts) decides what to do: TEMPORARY and RATE_LIMITED are
 * retried, AUTH_FAILED pauses the channel, NOT_FOUND and PERMANENT fail the item at fault.
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

  /** Any failure as a ProviderError: our own AppErrors (a deleted channel, bad stored data) will not heal by retrying; anything unexpected might. */
  static from(error: unknown): ProviderError {
    if (error instanceof ProviderError) return error;
    if (error instanceof AppError) return new ProviderError('PERMANENT', error.message);
    return new ProviderError('TEMPORARY', error instanceof Error ? error.message : String(error));
  }
}
