import { Injectable } from '@nestjs/common';
import { ChannelContext, InboundRequest } from '../../messaging/contracts/channel-context';
import {
  InboundRequestSimulator,
  refuseOtherChat,
  SimulatedMessage,
  simulatedJsonRequest,
  simulatedMessageId,
  unixSeconds,
} from '../../messaging/contracts/inbound-simulation';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { hubSignatureHeaders } from '../kits/meta-graph/graph-webhook';
import { WhatsAppSettings } from './whatsapp.settings.dto';

/** A `whatsapp_business_account` webhook with one text message, signed with the App Secret. */
@Injectable()
@MessengerProvider({ code: 'whatsapp', role: 'simulator' })
export class WhatsAppInboundSimulator implements InboundRequestSimulator<WhatsAppSettings> {
  simulate(message: SimulatedMessage, channel: ChannelContext<WhatsAppSettings>): InboundRequest {
    refuseOtherChat('whatsapp', message);
    const { appSecret, phoneNumberId } = channel.settings;
    return simulatedJsonRequest(
      {
        object: 'whatsapp_business_account',
        entry: [
          {
            id: channel.source ?? phoneNumberId,
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: phoneNumberId, phone_number_id: phoneNumberId },
                  contacts: [{ profile: { name: message.from.name ?? message.from.id }, wa_id: message.from.id }],
                  messages: [
                    {
                      from: message.from.id,
                      id: message.id ?? `wamid.${simulatedMessageId()}`,
                      timestamp: String(unixSeconds()),
                      type: 'text',
                      text: { body: message.text },
                    },
                  ],
                },
              },
            ],
          },
        ],
      },
      (rawBody) => hubSignatureHeaders(rawBody, appSecret),
    );
  }
}
