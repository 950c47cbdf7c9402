/**
 * What a provider remembers per channel between calls: poll cursors, cached access tokens, the
 * progress of a multi-part send. Providers inject it by this class; the core binds it to the
 * provider-state repository. Credentials go through getSecret/setSecret, which keep them
 * encrypted at rest.
 */
export abstract class ProviderStateStore {
  /** The value, or undefined when absent or expired. */
  abstract get<T>(channelId: string, key: string): Promise<T | undefined>;

  abstract set(channelId: string, key: string, value: unknown, expiresAt?: Date | null): Promise<void>;

  abstract delete(channelId: string, key: string): Promise<void>;

  abstract getSecret(channelId: string, key: string): Promise<string | undefined>;

  abstract setSecret(channelId: string, key: string, secret: string, expiresAt?: Date | null): Promise<void>;

  /**
   * Runs `work` while no other caller, in this or any other instance, runs work under the same
   * channel and key (e.g. one OAuth refresh at a time when the refresh token rotates).
   */
  abstract withExclusiveLock<T>(channelId: string, key: string, work: () => Promise<T>): Promise<T>;
}
