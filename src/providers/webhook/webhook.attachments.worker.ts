import { Injectable } from '@nestjs/common';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { AttachmentsLoadWorker, DownloadedFile } from '../../messaging/contracts/provider-workers';
import { UnifiedAttachment } from '../../messaging/contracts/unified-message';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { WebhookClient } from './webhook.client';
import { WebhookSettings } from './webhook.settings.dto';

@Injectable()
@MessengerProvider({ code: 'webhook', role: 'attachments' })
export class WebhookAttachmentsWorker implements AttachmentsLoadWorker<WebhookSettings> {
  constructor(private readonly client: WebhookClient) {}

  async load(attachment: UnifiedAttachment): Promise<DownloadedFile> {
    if (!attachment.url) throw new ProviderError('PERMANENT', 'the attachment has no url');
    const file = await this.client.download(attachment.url);
    return { ...file, mimeType: file.mimeType || attachment.mimeType || 'application/octet-stream' };
  }
}
