import { Injectable } from '@nestjs/common';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { AttachmentsLoadWorker, DownloadedFile } from '../../messaging/contracts/provider-workers';
import { UnifiedAttachment } from '../../messaging/contracts/unified-message';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { XClient } from './x.client';
import { XSettings } from './x.settings.dto';

/** Downloads DM photos from their public media URL. */
@Injectable()
@MessengerProvider({ code: 'x', role: 'attachments' })
export class XAttachmentsWorker implements AttachmentsLoadWorker<XSettings> {
  constructor(private readonly client: XClient) {}

  async load(attachment: UnifiedAttachment): Promise<DownloadedFile> {
    if (!attachment.url) {
      throw new ProviderError(
        'PERMANENT',
        `X gives no download URL for ${attachment.kind} media; open the conversation on X to see it`,
      );
    }
    const file = await this.client.download(attachment.url);
    return { ...file, mimeType: file.mimeType || attachment.mimeType || 'application/octet-stream' };
  }
}
