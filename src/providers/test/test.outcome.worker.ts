import { Injectable } from '@nestjs/common';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { OutcomeMessageWorker } from '../../messaging/contracts/provider-workers';
import { OutgoingMessage } from '../../messaging/contracts/unified-message';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { TestSettings } from './test.settings.dto';

/** Accepts every message (id `test-<message id>`), or refuses all with `failWith`. */
@Injectable()
@MessengerProvider({ code: 'test', role: 'outcome' })
export class TestOutcomeWorker implements OutcomeMessageWorker<TestSettings> {
  async send(message: OutgoingMessage, channel: ChannelContext<TestSettings>): Promise<{ externalId: string }> {
    if (channel.settings.failWith) throw new ProviderError('PERMANENT', channel.settings.failWith);
    return { externalId: `test-${message.id}` };
  }
}
