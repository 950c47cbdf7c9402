import { Injectable } from '@nestjs/common';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { MessengerRegistrationWorker, RegistrationResult } from '../../messaging/contracts/provider-workers';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { FACEBOOK_CAPABILITIES } from './facebook.capabilities';
import { FacebookClient } from './facebook.client';
import { FacebookSettings } from './facebook.settings.dto';

/**
 * Checks the Page token (`GET /me` names the Page, whose id becomes the channel's source) and
 * subscribes the app to the Page's Messenger events. The callback URL and verify token are set
 * once per app in the Meta app dashboard: a Page token cannot set them.
 */
@Injectable()
@MessengerProvider({ code: 'facebook', role: 'registration' })
export class FacebookRegistrationWorker implements MessengerRegistrationWorker<FacebookSettings> {
  readonly displayName = 'Facebook Messenger';
  readonly settingsType = FacebookSettings;
  readonly capabilities = FACEBOOK_CAPABILITIES;

  constructor(private readonly client: FacebookClient) {}

  async register(channel: ChannelContext<FacebookSettings>): Promise<RegistrationResult> {
    const page = await this.client.getPage(channel.settings);
    await this.client.subscribePage(channel.settings, page.id);
    return { source: page.id, connected: true };
  }

  async check(channel: ChannelContext<FacebookSettings>): Promise<void> {
    await this.client.getPage(channel.settings);
  }
}
