import { Injectable } from '@nestjs/common';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { ContactProfile, DownloadedFile, ProfileDataProvider } from '../../messaging/contracts/provider-workers';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { FacebookClient } from './facebook.client';
import { FacebookSettings } from './facebook.settings.dto';

/**
 * Names the customer from the User Profile API. The picture URL is signed and expires, so its
 * bytes are kept; the URL itself (no token in it) stands in when the picture cannot be fetched.
 */
@Injectable()
@MessengerProvider({ code: 'facebook', role: 'profile' })
export class FacebookProfileProvider implements ProfileDataProvider<FacebookSettings> {
  constructor(private readonly client: FacebookClient) {}

  async getProfile(psid: string, channel: ChannelContext<FacebookSettings>): Promise<ContactProfile | null> {
    const profile = await this.userProfile(psid, channel.settings);
    if (!profile) return null;
    const name = [profile.first_name, profile.last_name].filter(Boolean).join(' ') || undefined;
    const picture = profile.profile_pic;
    const avatar = picture ? await this.picture(picture) : undefined;
    return { name, ...(avatar ? { avatar } : picture ? { avatarUrl: picture } : {}) };
  }

  /** Null when Meta will not describe this person (no opt-in, missing feature, unknown PSID). */
  private async userProfile(psid: string, settings: FacebookSettings) {
    try {
      return await this.client.getUserProfile(settings, psid);
    } catch (error) {
      if (error instanceof ProviderError && (error.code === 'PERMANENT' || error.code === 'NOT_FOUND')) return null;
      throw error;
    }
  }

  private async picture(url: string): Promise<DownloadedFile | undefined> {
    try {
      return await this.client.download(url);
    } catch {
      return undefined;
    }
  }
}
