import { Injectable } from '@nestjs/common';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { ProviderStateStore } from '../../messaging/contracts/provider-state-store';
import { XClient } from './x.client';
import { XSettings } from './x.settings.dto';
import { ProviderStateTokenStore, XTokenStore } from './x.token-store';

/** X's documented lifetime of an access token, for answers that leave `expires_in` out. */
const DEFAULT_EXPIRES_IN_SECONDS = 7200;
/**
 * One refresh of a channel at a time, across every instance: X rotates the refresh token on each
 * use, so two concurrent refreshes with the same token would leave one of them refused and the
 * channel wrongly marked as failing authentication.
 */
const REFRESH_LOCK_KEY = 'x.oauth.refresh';

/**
 * Gives X calls a valid OAuth 2.0 user access token: the cached one, the one in the settings
 * until X refuses it, or a fresh one from the (rotating) refresh token shortly before the cached
 * one lapses. A 401 triggers exactly one refresh and retry.
 */
@Injectable()
export class XAccessTokens {
  constructor(
    private readonly client: XClient,
    private readonly state: ProviderStateStore,
  ) {}

  /** The channel's tokens as kept in provider state. */
  storeOf(channel: ChannelContext<XSettings>): XTokenStore {
    return new ProviderStateTokenStore(this.state, channel.id, channel.settings.refreshToken);
  }

  async authorized<T>(
    channel: ChannelContext<XSettings>,
    call: (accessToken: string) => Promise<T>,
    store: XTokenStore = this.storeOf(channel),
  ): Promise<T> {
    const accessToken = await this.currentToken(channel, store);
    try {
      return await call(accessToken);
    } catch (error) {
      if (!isRefusedToken(error)) throw error;
    }
    const renewed = await this.refresh(channel, store, accessToken);
    try {
      return await call(renewed);
    } catch (error) {
      if (!isRefusedToken(error)) throw error;
      throw new ProviderError(
        'AUTH_FAILED',
        `X refused a freshly refreshed access token (${error.message}); authorize the app again with the scopes dm.read dm.write users.read tweet.read offline.access`,
      );
    }
  }

  private async currentToken(channel: ChannelContext<XSettings>, store: XTokenStore): Promise<string> {
    const cached = await store.accessToken();
    if (cached) return cached;
    // The settings' access token has no known expiry: it serves until X refuses it, but only
    // while no refresh has superseded it.
    if (channel.settings.accessToken && !(await store.refreshToken())) return channel.settings.accessToken;
    return this.refresh(channel, store);
  }

  /** A new access token, unless another caller refreshed while this one waited for the lock. */
  private refresh(channel: ChannelContext<XSettings>, store: XTokenStore, refused?: string): Promise<string> {
    return this.state.withExclusiveLock(channel.id, REFRESH_LOCK_KEY, async () => {
      const cached = await store.accessToken();
      if (cached && cached !== refused) return cached;
      const refreshToken = (await store.refreshToken()) ?? channel.settings.refreshToken;
      const answer = await this.client.refreshAccessToken(channel.settings, refreshToken);
      await store.save({
        accessToken: answer.access_token,
        refreshToken: answer.refresh_token ?? refreshToken,
        expiresAt: new Date(Date.now() + (answer.expires_in ?? DEFAULT_EXPIRES_IN_SECONDS) * 1000),
      });
      return answer.access_token;
    });
  }
}

/** The client maps exactly HTTP 401 to AUTH_FAILED (403 is PERMANENT). */
function isRefusedToken(error: unknown): error is ProviderError {
  return error instanceof ProviderError && error.code === 'AUTH_FAILED';
}
