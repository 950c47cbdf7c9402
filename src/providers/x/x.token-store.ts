import { createHash } from 'node:crypto';
import { ProviderStateStore } from '../../messaging/contracts/provider-state-store';

/** What one refresh produced. */
export interface XTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
}

/** Where a channel's rotated tokens are kept between calls. */
export interface XTokenStore {
  /** The cached access token, unless it lapses within the refresh margin. */
  accessToken(): Promise<string | undefined>;
  /** The newest refresh token, when a refresh rotated the one in the settings. */
  refreshToken(): Promise<string | undefined>;
  save(tokens: XTokens): Promise<void>;
}

/** Refresh this long before the access token lapses, so no call goes out with a dying token. */
export const REFRESH_MARGIN_MS = 60_000;

const ACCESS_TOKEN_KEY = 'x.oauth.accessToken';
const REFRESH_TOKEN_KEY = 'x.oauth.refreshToken';

interface StoredToken {
  token: string;
  /** Which authorization the token descends from: a hash of the refresh token in the settings. */
  grant: string;
  expiresAt?: string;
}

/**
 * Keeps the tokens in provider state, encrypted. Each token remembers the settings' refresh token
 * it descends from, so when an admin pastes a new authorization into the settings, the tokens of
 * the old one are ignored instead of overriding it.
 */
export class ProviderStateTokenStore implements XTokenStore {
  private readonly grant: string;

  constructor(
    private readonly state: ProviderStateStore,
    private readonly channelId: string,
    settingsRefreshToken: string,
  ) {
    this.grant = createHash('sha256').update(settingsRefreshToken).digest('hex');
  }

  async accessToken(): Promise<string | undefined> {
    const stored = await this.read(ACCESS_TOKEN_KEY);
    const lapsesAt = Date.parse(stored?.expiresAt ?? '');
    return lapsesAt - REFRESH_MARGIN_MS > Date.now() ? stored?.token : undefined;
  }

  async refreshToken(): Promise<string | undefined> {
    return (await this.read(REFRESH_TOKEN_KEY))?.token;
  }

  /** The refresh token first: it is the one that cannot be obtained again if lost. */
  async save(tokens: XTokens): Promise<void> {
    await this.write(REFRESH_TOKEN_KEY, { token: tokens.refreshToken, grant: this.grant });
    await this.write(
      ACCESS_TOKEN_KEY,
      { token: tokens.accessToken, grant: this.grant, expiresAt: tokens.expiresAt.toISOString() },
      tokens.expiresAt,
    );
  }

  private async read(key: string): Promise<StoredToken | undefined> {
    const sealed = await this.state.getSecret(this.channelId, key);
    const stored = sealed === undefined ? undefined : (JSON.parse(sealed) as StoredToken);
    return stored?.grant === this.grant ? stored : undefined;
  }

  private async write(key: string, token: StoredToken, expiresAt: Date | null = null): Promise<void> {
    await this.state.setSecret(this.channelId, key, JSON.stringify(token), expiresAt);
  }
}

/**
 * For registration, when the channel row does not exist yet and provider state cannot be
 * written: reads through to the channel's state, keeps what a refresh produces in memory, and
 * hands it back as settings to store with the channel.
 */
export class RegistrationTokenStore implements XTokenStore {
  private refreshed?: XTokens;

  constructor(private readonly stored: XTokenStore) {}

  async accessToken(): Promise<string | undefined> {
    return this.refreshed?.accessToken ?? this.stored.accessToken();
  }

  async refreshToken(): Promise<string | undefined> {
    return this.refreshed?.refreshToken ?? this.stored.refreshToken();
  }

  async save(tokens: XTokens): Promise<void> {
    this.refreshed = tokens;
  }

  /** The settings that replace the ones given, when a refresh rotated the tokens. */
  rotatedSettings(): { accessToken: string; refreshToken: string } | undefined {
    return this.refreshed && { accessToken: this.refreshed.accessToken, refreshToken: this.refreshed.refreshToken };
  }
}
