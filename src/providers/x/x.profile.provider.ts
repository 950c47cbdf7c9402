import { Injectable } from '@nestjs/common';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { ContactProfile, ProfileDataProvider } from '../../messaging/contracts/provider-workers';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { XAccessTokens } from './x.access-tokens';
import { XClient } from './x.client';
import { displayNameOf } from './x.dm-events';
import { XSettings } from './x.settings.dto';

/** GET /2/users/:id: the display name and the public profile picture (pbs.twimg.com). */
@Injectable()
@MessengerProvider({ code: 'x', role: 'profile' })
export class XProfileProvider implements ProfileDataProvider<XSettings> {
  constructor(
    private readonly client: XClient,
    private readonly tokens: XAccessTokens,
  ) {}

  async getProfile(externalUserId: string, channel: ChannelContext<XSettings>): Promise<ContactProfile | null> {
    const user = await this.tokens.authorized(channel, (accessToken) =>
      this.client.getUser(channel.settings, accessToken, externalUserId),
    );
    if (!user) return null;
    return { name: displayNameOf(user), avatarUrl: user.profile_image_url };
  }
}
