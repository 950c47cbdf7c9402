import { Injectable } from '@nestjs/common';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { MessengerRegistrationWorker, RegistrationResult } from '../../messaging/contracts/provider-workers';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { TEST_CAPABILITIES } from './test.capabilities';
import { TestSettings } from './test.settings.dto';

@Injectable()
@MessengerProvider({ code: 'test', role: 'registration' })
export class TestRegistrationWorker implements MessengerRegistrationWorker<TestSettings> {
  readonly displayName = 'Test sandbox';
  readonly settingsType = TestSettings;
  readonly capabilities = TEST_CAPABILITIES;

  async register(): Promise<RegistrationResult> {
    return { source: 'test-sandbox', connected: true };
  }

  async check(channel: ChannelContext<TestSettings>): Promise<void> {
    if (channel.settings.failWith) throw new ProviderError('AUTH_FAILED', channel.settings.failWith);
  }
}
