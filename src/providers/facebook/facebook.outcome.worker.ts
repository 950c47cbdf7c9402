import { Injectable } from '@nestjs/common';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { ProviderError } from '../../messaging/contracts/provider-error';
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

/** How far a multi-part message got, so a retry does not send its parts twice. */
interface SendProgress {
  sentParts: number;
  firstExternalId: string | null;
}

const PROGRESS_TTL_MS = 7 * 24 * 60 * 60_000;

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
    const parts = sendApiMessages(message);
    if (parts.length === 0) throw new ProviderError('PERMANENT', 'the message has neither text nor an attachment URL');
    const progressKey = `send-progress:${message.id}`;
    const progress = parts.length > 1 ? await this.state.get<SendProgress>(channel.id, progressKey) : undefined;
    let firstExternalId = progress?.firstExternalId ?? null;
    for (let index = progress?.sentParts ?? 0; index < parts.length; index++) {
      const externalId = await this.client.sendMessage(channel.settings, message.recipientExternalId, parts[index]);
      firstExternalId ??= externalId;
      if (index + 1 < parts.length) {
        const sent: SendProgress = { sentParts: index + 1, firstExternalId };
        await this.state.set(channel.id, progressKey, sent, new Date(Date.now() + PROGRESS_TTL_MS));
      }
    }
    if (parts.length > 1) await this.state.delete(channel.id, progressKey);
    return { externalId: firstExternalId };
  }
}

function sendApiMessages(message: OutgoingMessage): SendApiMessage[] {
  const files = message.attachments.filter((file): file is UnifiedAttachment & { url: string } => !!file.url);
  return [
    ...(message.text ? [{ text: message.text }] : []),
    ...files.map((file) => ({ attachment: { type: SEND_API_TYPES[file.kind] ?? 'file', payload: { url: file.url } } })),
  ];
}
