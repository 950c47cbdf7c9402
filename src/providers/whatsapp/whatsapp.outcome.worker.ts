import { Injectable } from '@nestjs/common';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { sendInParts } from '../../messaging/contracts/multi-part-send';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { OutcomeMessageWorker } from '../../messaging/contracts/provider-workers';
import { OutgoingMessage, UnifiedAttachment } from '../../messaging/contracts/unified-message';
import { ProviderStateStore } from '../../messaging/contracts/provider-state-store';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { WhatsAppClient, WhatsAppMediaKind, WhatsAppOutboundBody } from './whatsapp.client';
import { WhatsAppSettings } from './whatsapp.settings.dto';

/** WhatsApp's limit for media captions; longer text goes as its own message. */
const CAPTION_MAX_LENGTH = 1_024;
const CAPTIONED_KINDS = new Set<WhatsAppMediaKind>(['image', 'video', 'document']);

/**
 * Sends a reply as WhatsApp messages: a text, or one message per attachment (by link) with the
 * text as the first caption when it fits. A reply of several parts remembers the parts already
 * accepted, so a retry after a failure in the middle sends only the rest. The last part's wamid
 * is the external id its statuses are matched by.
 */
@Injectable()
@MessengerProvider({ code: 'whatsapp', role: 'outcome' })
export class WhatsAppOutcomeWorker implements OutcomeMessageWorker<WhatsAppSettings> {
  constructor(
    private readonly client: WhatsAppClient,
    private readonly state: ProviderStateStore,
  ) {}

  async send(
    message: OutgoingMessage,
    channel: ChannelContext<WhatsAppSettings>,
  ): Promise<{ externalId: string | null }> {
    const externalId = await sendInParts(this.state, {
      channelId: channel.id,
      messageId: message.id,
      parts: outboundBodies(message),
      sendPart: (part) => this.client.sendMessage(channel.settings, part),
      externalIdFrom: 'last',
    });
    return { externalId };
  }
}

function outboundBodies(message: OutgoingMessage): WhatsAppOutboundBody[] {
  const recipient = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    // With the leading +, WhatsApp never prefixes the business number's country code.
    to: message.externalChatId.startsWith('+') ? message.externalChatId : `+${message.externalChatId}`,
  } as const;
  const text = message.text ?? undefined;
  const kinds = message.attachments.map(mediaKindOf);
  const captioned = !!text && text.length <= CAPTION_MAX_LENGTH && CAPTIONED_KINDS.has(kinds[0]);
  const bodies: WhatsAppOutboundBody[] = [];
  if (text && !captioned) bodies.push({ ...recipient, type: 'text', text: { body: text } });
  message.attachments.forEach((attachment, index) => {
    const kind = kinds[index];
    const caption = captioned && index === 0 ? text : undefined;
    bodies.push({ ...recipient, type: kind, [kind]: mediaOf(attachment, kind, caption) });
  });
  return bodies;
}

function mediaKindOf(attachment: UnifiedAttachment): WhatsAppMediaKind {
  switch (attachment.kind) {
    case 'image':
    case 'video':
    case 'audio':
      return attachment.kind;
    case 'voice':
      return 'audio';
    default:
      return 'document';
  }
}

function mediaOf(attachment: UnifiedAttachment, kind: WhatsAppMediaKind, caption: string | undefined) {
  if (!attachment.url) throw new ProviderError('PERMANENT', 'an attachment has no URL to send by link');
  return {
    link: attachment.url,
    ...(caption ? { caption } : {}),
    ...(kind === 'document' && attachment.fileName ? { filename: attachment.fileName } : {}),
  };
}
