import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ChannelContextLoader } from '../messaging/channel-context/channel-context.loader';
import { ProviderError } from '../messaging/contracts/provider-error';
import { HandlesJob, JobHandler } from '../messaging/delivery/job-handler.decorator';
import { JOB_TYPES } from '../messaging/delivery/job-queue';
import { ProviderRegistry } from '../messaging/registry/provider-registry.service';

interface PendingFileRow {
  kind: string;
  source_url: string | null;
  provider_file_id: string | null;
  file_name: string | null;
  mime_type: string | null;
}

interface AttachmentDownloadPayload {
  fileId: string;
  channelId: string;
}

/** Downloads an inbound attachment through its provider and stores the bytes with size, type and sha256. */
@Injectable()
@HandlesJob(JOB_TYPES.attachmentDownload)
export class AttachmentDownloadJob implements JobHandler<AttachmentDownloadPayload> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: ProviderRegistry,
    private readonly channels: ChannelContextLoader,
    private readonly config: AppConfig,
  ) {}

  async handle({ fileId, channelId }: AttachmentDownloadPayload): Promise<void> {
    const [file] = await this.dataSource.query<PendingFileRow[]>(
      `SELECT kind, source_url, provider_file_id, file_name, mime_type FROM message_files WHERE id = $1 AND status IN ('pending', 'failed')`,
      [fileId],
    );
    if (!file) return;
    const { channel, context } = await this.channels.load(channelId);
    const downloaded = await this.registry.get(channel.provider).attachments.load(
      {
        kind: file.kind,
        url: file.source_url ?? undefined,
        providerFileId: file.provider_file_id ?? undefined,
        fileName: file.file_name ?? undefined,
        mimeType: file.mime_type ?? undefined,
      },
      context,
    );
    if (downloaded.content.length > this.config.env.ATTACHMENT_MAX_BYTES) {
      throw new ProviderError(
        'PERMANENT',
        `the file is larger than ATTACHMENT_MAX_BYTES (${this.config.env.ATTACHMENT_MAX_BYTES} bytes)`,
      );
    }
    await this.dataSource.query(
      `UPDATE message_files
          SET content = $2, size = $3, sha256 = $4, mime_type = $5, file_name = coalesce(file_name, $6),
              status = 'stored', error = NULL, updated_at = now()
        WHERE id = $1`,
      [
        fileId,
        downloaded.content,
        downloaded.content.length,
        createHash('sha256').update(downloaded.content).digest('hex'),
        downloaded.mimeType,
        downloaded.fileName ?? null,
      ],
    );
  }

  /** The message stays; its file is marked failed with the reason. */
  async giveUp({ fileId }: AttachmentDownloadPayload, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE message_files SET status = 'failed', error = $2, updated_at = now() WHERE id = $1 AND status = 'pending'`,
      [fileId, reason],
    );
  }
}
