import { Injectable } from '@nestjs/common';
import { ChannelContext } from '../../messaging/contracts/channel-context';
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
/** How long the ids of a half-sent multi-part message are kept for its retries. */
const PARTS_PROGRESS_TTL_MS = 7 * 24 * 60 * 60 * 1000;

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
    const parts = outboundBodies(message);
    if (parts.length === 1) return { externalId: await this.client.sendMessage(channel.settings, parts[0]) };
    return { externalId: await this.sendParts(parts, message.id, channel) };
  }

  private async sendParts(
    parts: WhatsAppOutboundBody[],
    messageId: string,
    channel: ChannelContext<WhatsAppSettings>,
  ): Promise<string | null> {
    const key = `outbound-parts:${messageId}`;
    const sentIds = (await this.state.get<(string | null)[]>(channel.id, key)) ?? [];
    try {
      for (const part of parts.slice(sentIds.length)) {
        sentIds.push(await this.client.sendMessage(channel.settings, part));
        await this.state.set(channel.id, key, sentIds, new Date(Date.now() + PARTS_PROGRESS_TTL_MS));
      }
    } catch (error) {
      if (!ProviderError.from(error).retryable) await this.state.delete(channel.id, key);
      throw error;
    }
    await this.state.delete(channel.id, key);
    return sentIds.at(-1) ?? null;
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
