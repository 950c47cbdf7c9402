import { Injectable } from '@nestjs/common';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { AttachmentsLoadWorker, DownloadedFile } from '../../messaging/contracts/provider-workers';
import { UnifiedAttachment } from '../../messaging/contracts/unified-message';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { WhatsAppClient } from './whatsapp.client';
import { WhatsAppSettings } from './whatsapp.settings.dto';

/**
 * Downloads media in WhatsApp's two steps: `GET /<media id>` for a URL that lives 5 minutes, then
 * that URL with the Bearer token. Each attempt asks for a fresh URL, so a URL that expired
 * (404) is worth a retry.
 */
@Injectable()
@MessengerProvider({ code: 'whatsapp', role: 'attachments' })
export class WhatsAppAttachmentsWorker implements AttachmentsLoadWorker<WhatsAppSettings> {
  constructor(private readonly client: WhatsAppClient) {}

  async load(attachment: UnifiedAttachment, channel: ChannelContext<WhatsAppSettings>): Promise<DownloadedFile> {
    if (!attachment.providerFileId) throw new ProviderError('PERMANENT', 'the attachment has no WhatsApp media id');
    const media = await this.client.getMediaLocation(channel.settings, attachment.providerFileId);
    const file = await this.client.downloadMedia(channel.settings, media.url).catch((error: unknown) => {
      if (error instanceof ProviderError && error.code === 'NOT_FOUND') {
        throw new ProviderError('TEMPORARY', `the media URL expired before the download: ${error.message}`);
      }
      throw error;
    });
    return {
      content: file.content,
      mimeType: media.mimeType || attachment.mimeType || file.mimeType || 'application/octet-stream',
      fileName: attachment.fileName,
    };
  }
}
