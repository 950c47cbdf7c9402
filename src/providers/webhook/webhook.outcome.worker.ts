import { Injectable } from '@nestjs/common';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { OutcomeMessageWorker } from '../../messaging/contracts/provider-workers';
import { OutgoingMessage } from '../../messaging/contracts/unified-message';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { WebhookClient } from './webhook.client';
import { WebhookSettings } from './webhook.settings.dto';

/**
 * POSTs `{messageId, chatId, text, attachments}` signed with the channel secret. A resend after
 * a timeout carries the same messageId, which the receiver uses to drop the duplicate.
 */
@Injectable()
@MessengerProvider({ code: 'webhook', role: 'outcome' })
export class WebhookOutcomeWorker implements OutcomeMessageWorker<WebhookSettings> {
  constructor(private readonly client: WebhookClient) {}

  async send(
    message: OutgoingMessage,
    channel: ChannelContext<WebhookSettings>,
  ): Promise<{ externalId: string | null }> {
    const externalId = await this.client.postMessage(channel.settings.url, channel.settings.secret, {
      messageId: message.id,
      chatId: message.externalChatId,
      text: message.text,
      attachments: message.attachments.map((file) => ({
        url: file.url,
        type: file.kind,
        fileName: file.fileName,
        mimeType: file.mimeType,
      })),
    });
    return { externalId };
  }
}
