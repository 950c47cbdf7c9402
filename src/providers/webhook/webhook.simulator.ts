import { Injectable } from '@nestjs/common';
import { ChannelContext, InboundRequest } from '../../messaging/contracts/channel-context';
import {
  InboundRequestSimulator,
  SimulatedMessage,
  simulatedJsonRequest,
  simulatedMessageId,
} from '../../messaging/contracts/inbound-simulation';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { WebhookSettings } from './webhook.settings.dto';
import { SIGNATURE_HEADER, signBody } from './webhook.signature';

/** One message in the custom channel's documented shape, signed with the channel secret. */
@Injectable()
@MessengerProvider({ code: 'webhook', role: 'simulator' })
export class WebhookInboundSimulator implements InboundRequestSimulator<WebhookSettings> {
  simulate(message: SimulatedMessage, channel: ChannelContext<WebhookSettings>): InboundRequest {
    return simulatedJsonRequest(
      {
        messages: [
          {
            id: message.id ?? simulatedMessageId(),
            chatId: message.chatId ?? message.from.id,
            from: { id: message.from.id, ...(message.from.name ? { name: message.from.name } : {}) },
            text: message.text,
            timestamp: new Date().toISOString(),
          },
        ],
      },
      (rawBody) => ({ [SIGNATURE_HEADER]: signBody(rawBody, channel.settings.secret) }),
    );
  }
}
