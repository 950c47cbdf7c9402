import { Injectable } from '@nestjs/common';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { sendInParts } from '../../messaging/contracts/multi-part-send';
import { OutcomeMessageWorker } from '../../messaging/contracts/provider-workers';
import { OutgoingMessage, UnifiedAttachment } from '../../messaging/contracts/unified-message';
import { ProviderStateStore } from '../../messaging/contracts/provider-state-store';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { FacebookClient, SendApiMessage } from './facebook.client';
import { FacebookSettings } from './facebook.settings.dto';

/** Our attachment kinds as Send API attachment types (`document` has no type of its own). */
const SEND_API_TYPES: Record<string, string> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  voice: 'audio',
};

/**
 * Sends an agent's reply with the Send API. A Messenger message is text OR one attachment, so a
 * reply with files goes out as several messages: the text first, then each file by URL. Its
 * external id is the first part's mid.
 */
@Injectable()
@MessengerProvider({ code: 'facebook', role: 'outcome' })
export class FacebookOutcomeWorker implements OutcomeMessageWorker<FacebookSettings> {
  constructor(
    private readonly client: FacebookClient,
    private readonly state: ProviderStateStore,
  ) {}

  async send(
    message: OutgoingMessage,
    channel: ChannelContext<FacebookSettings>,
  ): Promise<{ externalId: string | null }> {
    const externalId = await sendInParts(this.state, {
      channelId: channel.id,
      messageId: message.id,
      parts: sendApiMessages(message),
      sendPart: (part) => this.client.sendMessage(channel.settings, message.recipientExternalId, part),
    });
    return { externalId };
  }
}

function sendApiMessages(message: OutgoingMessage): SendApiMessage[] {
  const files = message.attachments.filter((file): file is UnifiedAttachment & { url: string } => !!file.url);
  return [
    ...(message.text ? [{ text: message.text }] : []),
    ...files.map((file) => ({ attachment: { type: SEND_API_TYPES[file.kind] ?? 'file', payload: { url: file.url } } })),
  ];
}
