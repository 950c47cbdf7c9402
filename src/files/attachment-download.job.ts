import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { ChannelContextLoader } from '../messaging/channel-context/channel-context.loader';
import { ProviderError } from '../messaging/contracts/provider-error';
import { HandlesJob, JobHandler } from '../messaging/delivery/job-handler.decorator';
import { JOB_TYPES } from '../messaging/delivery/job-types';
import { ProviderRegistry } from '../messaging/registry/provider-registry.service';
import { MessageFileRepository } from './message-file.repository';

interface AttachmentDownloadPayload {
  fileId: string;
  channelId: string;
}

/** Downloads an inbound attachment through its provider and stores the bytes with size, type and sha256. */
@Injectable()
@HandlesJob(JOB_TYPES.attachmentDownload)
export class AttachmentDownloadJob implements JobHandler<AttachmentDownloadPayload> {
  constructor(
    private readonly files: MessageFileRepository,
    private readonly registry: ProviderRegistry,
    private readonly channels: ChannelContextLoader,
    private readonly config: AppConfig,
  ) {}

  async handle({ fileId, channelId }: AttachmentDownloadPayload): Promise<void> {
    const file = await this.files.findToDownload(fileId);
    if (!file) return;
    const { channel, context } = await this.channels.load(channelId);
    const downloaded = await this.registry.get(channel.provider).attachments.load(
      {
        kind: file.kind,
        url: file.sourceUrl ?? undefined,
        providerFileId: file.providerFileId ?? undefined,
        fileName: file.fileName ?? undefined,
        mimeType: file.mimeType ?? undefined,
      },
      context,
    );
    if (downloaded.content.length > this.config.env.ATTACHMENT_MAX_BYTES) {
      throw new ProviderError(
        'PERMANENT',
        `the file is larger than ATTACHMENT_MAX_BYTES (${this.config.env.ATTACHMENT_MAX_BYTES} bytes)`,
      );
    }
    await this.files.storeDownloaded(fileId, {
      content: downloaded.content,
      sha256: createHash('sha256').update(downloaded.content).digest('hex'),
      mimeType: downloaded.mimeType,
      fileName: downloaded.fileName ?? null,
    });
  }

  /** The message stays; its file is marked failed with the reason. */
  async giveUp({ fileId }: AttachmentDownloadPayload, reason: string): Promise<void> {
    await this.files.markDownloadFailed(fileId, reason);
  }
}
