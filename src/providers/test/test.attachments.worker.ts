import { Injectable } from '@nestjs/common';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { AttachmentsLoadWorker, DownloadedFile } from '../../messaging/contracts/provider-workers';
import { UnifiedAttachment } from '../../messaging/contracts/unified-message';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';

/** Test files travel inline as `data:` URLs, so loading one is decoding it. */
@Injectable()
@MessengerProvider({ code: 'test', role: 'attachments' })
export class TestAttachmentsWorker implements AttachmentsLoadWorker {
  async load(attachment: UnifiedAttachment): Promise<DownloadedFile> {
    const match = /^data:([^;,]+);base64,(.*)$/s.exec(attachment.url ?? '');
    if (!match) throw new ProviderError('PERMANENT', 'the attachment is not a base64 data URL');
    return { content: Buffer.from(match[2], 'base64'), mimeType: match[1], fileName: attachment.fileName };
  }
}
