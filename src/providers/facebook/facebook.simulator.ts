import { Injectable } from '@nestjs/common';
import { ChannelContext, InboundRequest } from '../../messaging/contracts/channel-context';
import {
  InboundRequestSimulator,
  refuseOtherChat,
  SimulatedMessage,
  simulatedJsonRequest,
  simulatedMessageId,
} from '../../messaging/contracts/inbound-simulation';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { hubSignatureHeaders } from '../kits/meta-graph/graph-webhook';
import { FacebookSettings } from './facebook.settings.dto';

/** A `page` webhook with one messaging event, signed with the App Secret. */
@Injectable()
@MessengerProvider({ code: 'facebook', role: 'simulator' })
export class FacebookInboundSimulator implements InboundRequestSimulator<FacebookSettings> {
  simulate(message: SimulatedMessage, channel: ChannelContext<FacebookSettings>): InboundRequest {
    refuseOtherChat('facebook', message);
    const pageId = channel.source ?? '0';
    return simulatedJsonRequest(
      {
        object: 'page',
        entry: [
          {
            id: pageId,
            time: Date.now(),
            messaging: [
              {
                sender: { id: message.from.id },
                recipient: { id: pageId },
                timestamp: Date.now(),
                message: { mid: message.id ?? `m_${simulatedMessageId()}`, text: message.text },
              },
            ],
          },
        ],
      },
      (rawBody) => hubSignatureHeaders(rawBody, channel.settings.appSecret),
    );
  }
}
