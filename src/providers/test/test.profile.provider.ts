import { Injectable } from '@nestjs/common';
import { ProfileDataProvider } from '../../messaging/contracts/provider-workers';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';

/** The sandbox has no profile service: contacts keep the name sent with the message, or the placeholder. */
@Injectable()
@MessengerProvider({ code: 'test', role: 'profile' })
export class TestProfileProvider implements ProfileDataProvider {
  async getProfile(): Promise<null> {
    return null;
  }
}
