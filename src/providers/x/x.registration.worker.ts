import { Injectable } from '@nestjs/common';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { MessengerRegistrationWorker, RegistrationResult } from '../../messaging/contracts/provider-workers';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { XAccessTokens } from './x.access-tokens';
import { X_CAPABILITIES } from './x.capabilities';
import { XClient } from './x.client';
import { XSettings } from './x.settings.dto';
import { RegistrationTokenStore } from './x.token-store';

/**
 * Connects an account: obtains an access token (refreshing if needed) and reads GET /2/users/me,
 * whose id becomes the channel's `source`. Nothing is set up on X: the channel is polled.
 */
@Injectable()
@MessengerProvider({ code: 'x', role: 'registration' })
export class XRegistrationWorker implements MessengerRegistrationWorker<XSettings> {
  readonly displayName = 'X (Twitter) direct messages';
  readonly settingsType = XSettings;
  readonly capabilities = X_CAPABILITIES;

  constructor(
    private readonly client: XClient,
    private readonly tokens: XAccessTokens,
  ) {}

  /** A refresh during registration rotates the refresh token: the new one is returned as settings to keep. */
  async register(channel: ChannelContext<XSettings>): Promise<RegistrationResult> {
    const store = new RegistrationTokenStore(this.tokens.storeOf(channel));
    const me = await this.tokens.authorized(
      channel,
      (accessToken) => this.client.getMe(channel.settings, accessToken),
      store,
    );
    return { source: me.id, connected: true, settings: store.rotatedSettings() };
  }

  async check(channel: ChannelContext<XSettings>): Promise<void> {
    await this.tokens.authorized(channel, (accessToken) => this.client.getMe(channel.settings, accessToken));
  }
}
