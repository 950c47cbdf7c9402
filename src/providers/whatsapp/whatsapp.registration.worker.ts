import { Injectable } from '@nestjs/common';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { MessengerRegistrationWorker, RegistrationResult } from '../../messaging/contracts/provider-workers';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { WHATSAPP_CAPABILITIES } from './whatsapp.capabilities';
import { WhatsAppClient } from './whatsapp.client';
import { WhatsAppSettings } from './whatsapp.settings.dto';

/**
 * Checks that the token can read the business phone number, whose id becomes the channel's
 * `source`. The webhook itself is configured in the Meta App Dashboard (callback URL and verify
 * token), which Meta then verifies with a GET to this channel's webhook URL.
 */
@Injectable()
@MessengerProvider({ code: 'whatsapp', role: 'registration' })
export class WhatsAppRegistrationWorker implements MessengerRegistrationWorker<WhatsAppSettings> {
  readonly displayName = 'WhatsApp Cloud API';
  readonly settingsType = WhatsAppSettings;
  readonly capabilities = WHATSAPP_CAPABILITIES;

  constructor(private readonly client: WhatsAppClient) {}

  async register(channel: ChannelContext<WhatsAppSettings>): Promise<RegistrationResult> {
    return { source: await this.client.getPhoneNumberId(channel.settings), connected: true };
  }

  async check(channel: ChannelContext<WhatsAppSettings>): Promise<void> {
    await this.client.getPhoneNumberId(channel.settings);
  }
}
