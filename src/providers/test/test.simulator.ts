import { Injectable } from '@nestjs/common';
import { ChannelContext, InboundRequest } from '../../messaging/contracts/channel-context';
import {
  InboundRequestSimulator,
  SimulatedMessage,
  simulatedJsonRequest,
  simulatedMessageId,
} from '../../messaging/contracts/inbound-simulation';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { TestSettings } from './test.settings.dto';

/** A sandbox message with the channel's X-Test-Token. */
@Injectable()
@MessengerProvider({ code: 'test', role: 'simulator' })
export class TestInboundSimulator implements InboundRequestSimulator<TestSettings> {
  simulate(message: SimulatedMessage, channel: ChannelContext<TestSettings>): InboundRequest {
    return simulatedJsonRequest(
      {
        id: message.id ?? simulatedMessageId(),
        chatId: message.chatId ?? message.from.id,
        userId: message.from.id,
        ...(message.from.name ? { userName: message.from.name } : {}),
        text: message.text,
      },
      () => ({ 'x-test-token': channel.settings.token }),
    );
  }
}
