import { Injectable } from '@nestjs/common';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { ContactProfile, ProfileDataProvider } from '../../messaging/contracts/provider-workers';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { WebhookClient } from './webhook.client';
import { WebhookSettings } from './webhook.settings.dto';

@Injectable()
@MessengerProvider({ code: 'webhook', role: 'profile' })
export class WebhookProfileProvider implements ProfileDataProvider<WebhookSettings> {
  constructor(private readonly client: WebhookClient) {}

  async getProfile(externalUserId: string, channel: ChannelContext<WebhookSettings>): Promise<ContactProfile | null> {
    if (!channel.settings.profileUrl) return null;
    return this.client.fetchProfile(channel.settings.profileUrl, externalUserId);
  }
}
