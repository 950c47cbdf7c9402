import { Injectable, Logger } from '@nestjs/common';
import { ChannelContext, InboundRequest } from '../../messaging/contracts/channel-context';
import { ChallengeAnswer, IncomeMessageWorker } from '../../messaging/contracts/provider-workers';
import {
  DeliveryReceipt,
  InboundEvent,
  ReceiptStatus,
  UnifiedAttachment,
  UnifiedMessage,
} from '../../messaging/contracts/unified-message';
import { validatePayload } from '../../messaging/contracts/validate-payload';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { describeGraphError } from '../kits/meta-graph/graph-errors';
import { answerHubChallenge, verifyHubSignature } from '../kits/meta-graph/graph-webhook';
import {
  MEDIA_TYPES,
  MediaType,
  WHATSAPP_OBJECT,
  WhatsAppInboundMessage,
  WhatsAppLocation,
  WhatsAppMessagesValue,
  WhatsAppStatus,
  WhatsAppWebhookBody,
} from './whatsapp.payload.dto';
import { WhatsAppSettings } from './whatsapp.settings.dto';

/** Reactions point at an earlier message and request_welcome only says a chat was opened: neither is a message. */
const SKIPPED_TYPES = new Set(['reaction', 'request_welcome']);

/** `played` (a voice note was listened to) implies read. */
const RECEIPT_STATUSES = new Map<string, ReceiptStatus>([
  ['sent', 'sent'],
  ['delivered', 'delivered'],
  ['read', 'read'],
  ['played', 'read'],
  ['failed', 'failed'],
]);

/**
 * Meta's webhook for one business phone number: GET verification with the verify token, POSTs
 * signed with the App Secret. Every entry and change is read; changes of other phone numbers
 * (one app may serve several) and fields other than `messages` are left out.
 */
@Injectable()
@MessengerProvider({ code: 'whatsapp', role: 'income' })
export class WhatsAppIncomeWorker implements IncomeMessageWorker<WhatsAppSettings> {
  private readonly logger = new Logger(WhatsAppIncomeWorker.name);

  verify(request: InboundRequest, channel: ChannelContext<WhatsAppSettings>): void {
    verifyHubSignature(request, channel.settings.appSecret);
  }

  challenge(request: InboundRequest, channel: ChannelContext<WhatsAppSettings>): ChallengeAnswer {
    return answerHubChallenge(request, channel.settings.verifyToken);
  }

  parse(body: unknown, channel: ChannelContext<WhatsAppSettings>): InboundEvent[] {
    const payload = validatePayload(WhatsAppWebhookBody, body);
    if (payload.object !== WHATSAPP_OBJECT) return [];
    return payload.entry
      .flatMap((entry) => entry.changes)
      .filter((change) => change.field === 'messages')
      .map((change) => change.value)
      .filter((value) => value.metadata.phone_number_id === channel.settings.phoneNumberId)
      .flatMap((value) => this.eventsOf(value));
  }

  private eventsOf(value: WhatsAppMessagesValue): InboundEvent[] {
    for (const error of value.errors ?? []) this.logger.warn(`WhatsApp reported: ${describeGraphError(error)}`);
    const receipts = (value.statuses ?? []).flatMap(toReceipt);
    const messages = (value.messages ?? [])
      .filter((message) => !SKIPPED_TYPES.has(message.type))
      .map((message) => toUnifiedMessage(message, senderName(value, message.from)));
    return [...receipts, ...messages];
  }
}

function senderName(value: WhatsAppMessagesValue, waId: string): string | undefined {
  return value.contacts?.find((contact) => contact.wa_id === waId)?.profile?.name;
}

function toUnifiedMessage(message: WhatsAppInboundMessage, name: string | undefined): UnifiedMessage {
  const { text, attachments } = contentOf(message);
  return {
    kind: 'message',
    externalMessageId: message.id,
    externalChatId: message.from,
    sender: { externalId: message.from, name },
    text,
    attachments,
    sentAt: new Date(Number(message.timestamp) * 1000),
  };
}

function contentOf(message: WhatsAppInboundMessage): { text?: string; attachments: UnifiedAttachment[] } {
  if (message.type === 'text') return { text: message.text!.body, attachments: [] };
  if (message.type === 'location') return { text: describeLocation(message.location!), attachments: [] };
  if (isMediaType(message.type)) {
    const media = message[message.type]!;
    const kind = message.type === 'audio' && media.voice ? 'voice' : message.type;
    const attachment: UnifiedAttachment = {
      kind,
      providerFileId: media.id,
      mimeType: media.mime_type,
      fileName: media.filename,
    };
    return { text: media.caption, attachments: [attachment] };
  }
  // Contacts cards, interactive replies, unsupported types…: the agent should know the customer sent something.
  return { text: `[unsupported WhatsApp message type "${message.type}"]`, attachments: [] };
}

function isMediaType(type: string): type is MediaType {
  return (MEDIA_TYPES as readonly string[]).includes(type);
}

/** e.g. `Location: Philz Coffee, 101 Forest Ave, Palo Alto (37.44216, -122.16153)`. */
function describeLocation(location: WhatsAppLocation): string {
  const place = [location.name, location.address].filter(Boolean).join(', ');
  const coordinates = `(${location.latitude}, ${location.longitude})`;
  return `Location: ${place ? `${place} ${coordinates}` : coordinates}`;
}

function toReceipt(status: WhatsAppStatus): DeliveryReceipt[] {
  const receiptStatus = RECEIPT_STATUSES.get(status.status);
  if (!receiptStatus) return [];
  const [error] = status.errors ?? [];
  return [
    {
      kind: 'receipt',
      status: receiptStatus,
      externalChatId: status.recipient_id ?? '',
      externalMessageId: status.id,
      ...(receiptStatus === 'failed' && error ? { error: describeGraphError(error) } : {}),
    },
  ];
}
