import { Injectable } from '@nestjs/common';
import { ProfileDataProvider } from '../../messaging/contracts/provider-workers';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { WhatsAppSettings } from './whatsapp.settings.dto';

/**
 * The Cloud API has no profile lookup: the customer's name arrives with each message
 * (`contacts[].profile.name`) and names the contact when it is created; pictures are not offered.
 */
@Injectable()
@MessengerProvider({ code: 'whatsapp', role: 'profile' })
export class WhatsAppProfileProvider implements ProfileDataProvider<WhatsAppSettings> {
  async getProfile(): Promise<null> {
    return null;
  }
}
