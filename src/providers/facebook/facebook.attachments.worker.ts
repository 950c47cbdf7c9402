import { Injectable } from '@nestjs/common';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { AttachmentsLoadWorker, DownloadedFile } from '../../messaging/contracts/provider-workers';
import { UnifiedAttachment } from '../../messaging/contracts/unified-message';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { FacebookClient } from './facebook.client';
import { FacebookSettings } from './facebook.settings.dto';

/** Messenger attachments are public CDN links (`payload.url`), fetched as they are. */
@Injectable()
@MessengerProvider({ code: 'facebook', role: 'attachments' })
export class FacebookAttachmentsWorker implements AttachmentsLoadWorker<FacebookSettings> {
  constructor(private readonly client: FacebookClient) {}

  async load(attachment: UnifiedAttachment): Promise<DownloadedFile> {
    if (!attachment.url) throw new ProviderError('PERMANENT', 'the attachment has no url');
    const file = await this.client.download(attachment.url);
    return {
      ...file,
      mimeType: file.mimeType || attachment.mimeType || 'application/octet-stream',
      fileName: attachment.fileName,
    };
  }
}
