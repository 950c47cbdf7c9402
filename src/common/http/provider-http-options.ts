import type { AppConfig } from '../../config/app-config';

/** What every call to a provider's API obeys, read from the environment once. */
export class ProviderHttpOptions {
  /** PROVIDER_HTTP_TIMEOUT_MS. */
  readonly timeoutMs: number;
  /** ATTACHMENT_MAX_BYTES: the largest file a download takes. */
  readonly maxDownloadBytes: number;
  /** ALLOW_PRIVATE_NETWORK_FETCH: whether downloads may reach private addresses. */
  readonly allowPrivateNetwork: boolean;

  constructor(options: { timeoutMs: number; maxDownloadBytes: number; allowPrivateNetwork: boolean }) {
    this.timeoutMs = options.timeoutMs;
    this.maxDownloadBytes = options.maxDownloadBytes;
    this.allowPrivateNetwork = options.allowPrivateNetwork;
  }

  static fromConfig({ env }: AppConfig): ProviderHttpOptions {
    return new ProviderHttpOptions({
      timeoutMs: env.PROVIDER_HTTP_TIMEOUT_MS,
      maxDownloadBytes: env.ATTACHMENT_MAX_BYTES,
      allowPrivateNetwork: env.ALLOW_PRIVATE_NETWORK_FETCH,
    });
  }
}
