import { Injectable } from '@nestjs/common';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { AttachmentsLoadWorker, DownloadedFile } from '../../messaging/contracts/provider-workers';
import { UnifiedAttachment } from '../../messaging/contracts/unified-message';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { TelegramFileLoader } from './telegram.file-loader';
import { TelegramSettings } from './telegram.settings.dto';

/**
 * Downloads an inbound file by its file_id. getFile "may not preserve the original file name and
 * MIME type", so those of the message win over the file server's.
 */
@Injectable()
@MessengerProvider({ code: 'telegram', role: 'attachments' })
export class TelegramAttachmentsWorker implements AttachmentsLoadWorker<TelegramSettings> {
  constructor(private readonly files: TelegramFileLoader) {}

  async load(attachment: UnifiedAttachment, channel: ChannelContext<TelegramSettings>): Promise<DownloadedFile> {
    if (!attachment.providerFileId) throw new ProviderError('PERMANENT', 'the attachment has no Telegram file_id');
    const file = await this.files.load(channel.settings, attachment.providerFileId);
    return {
      content: file.content,
      mimeType: attachment.mimeType || file.mimeType || 'application/octet-stream',
      fileName: attachment.fileName ?? file.fileName,
    };
  }
}
