import { Injectable } from '@nestjs/common';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { sendInParts } from '../../messaging/contracts/multi-part-send';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { OutcomeMessageWorker } from '../../messaging/contracts/provider-workers';
import { OutgoingMessage, UnifiedAttachment } from '../../messaging/contracts/unified-message';
import { ProviderStateStore } from '../../messaging/contracts/provider-state-store';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { SendParams } from './telegram.api.types';
import { TELEGRAM_MAX_CAPTION_LENGTH } from './telegram.capabilities';
import { TelegramClient } from './telegram.client';
import { telegramMessageId } from './telegram.message.mapper';
import { TelegramSettings } from './telegram.settings.dto';

/**
 * Sends a reply as one Bot API call, or several when it has more than one attachment (or a text
 * too long for a caption). The parts already sent are remembered per message, so a retry after a
 * 429 on a later part does not send the earlier ones again. The external id is the first part's.
 */
@Injectable()
@MessengerProvider({ code: 'telegram', role: 'outcome' })
export class TelegramOutcomeWorker implements OutcomeMessageWorker<TelegramSettings> {
  constructor(
    private readonly client: TelegramClient,
    private readonly state: ProviderStateStore,
  ) {}

  async send(
    message: OutgoingMessage,
    channel: ChannelContext<TelegramSettings>,
  ): Promise<{ externalId: string | null }> {
    const externalId = await sendInParts(this.state, {
      channelId: channel.id,
      messageId: message.id,
      parts: telegramSendCalls(message),
      sendPart: (call) => this.sendOne(channel, call),
    });
    return { externalId };
  }

  private async sendOne(channel: ChannelContext<TelegramSettings>, call: SendParams): Promise<string> {
    const sent = await this.client.send(channel.settings, call);
    return telegramMessageId(sent.chat.id, sent.message_id);
  }
}

/**
 * The Bot API calls that deliver a message, in order: a lone attachment carries the text as its
 * caption when it fits; otherwise the text goes first, then each attachment (pictures by
 * sendPhoto, anything else by sendDocument, both by URL).
 */
export function telegramSendCalls(message: OutgoingMessage): SendParams[] {
  const chatId = chatIdOf(message.externalChatId);
  const { text, attachments } = message;
  const [only, ...others] = attachments;
  if (only && others.length === 0 && (!text || text.length <= TELEGRAM_MAX_CAPTION_LENGTH)) {
    return [attachmentCall(chatId, only, text ?? undefined)];
  }
  const textCall: SendParams[] = text ? [{ method: 'sendMessage', body: { chat_id: chatId, text } }] : [];
  return [...textCall, ...attachments.map((attachment) => attachmentCall(chatId, attachment))];
}

function attachmentCall(chatId: number | string, attachment: UnifiedAttachment, caption?: string): SendParams {
  if (!attachment.url) throw new ProviderError('PERMANENT', 'the attachment has no url to send');
  const captioned = caption ? { caption } : {};
  return attachment.kind === 'image'
    ? { method: 'sendPhoto', body: { chat_id: chatId, photo: attachment.url, ...captioned } }
    : { method: 'sendDocument', body: { chat_id: chatId, document: attachment.url, ...captioned } };
}

/** Chat ids are integers of up to 52 bits (safe as JS numbers); `@channelname` stays a string. */
function chatIdOf(externalChatId: string): number | string {
  return /^-?\d+$/.test(externalChatId) ? Number(externalChatId) : externalChatId;
}
