import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';
import type { FileStatus } from './message-file.entity';

/** An outgoing attachment the provider fetches by URL (or the provider's worker uploads). */
export interface OutgoingFileRow {
  kind: string;
  url: string | null;
  fileName: string | null;
  mimeType: string | null;
}

/** A file's stored bytes and what an HTTP download answer needs to say about them. */
export interface FileDownload {
  status: FileStatus;
  content: Buffer | null;
  mimeType: string | null;
  fileName: string | null;
  sha256: string | null;
}

/** Where an inbound attachment that is still to be downloaded comes from. */
export interface FileToDownload {
  kind: string;
  sourceUrl: string | null;
  providerFileId: string | null;
  fileName: string | null;
  mimeType: string | null;
}

export interface DownloadedFileContent {
  content: Buffer;
  sha256: string;
  mimeType: string;
  fileName: string | null;
}

/** The only reader and writer of `message_files`. */
@Injectable()
export class MessageFileRepository {
  constructor(private readonly transactions: Transactions) {}

  // message manager and files API: outgoing attachments, downloads
  /** Records an outgoing message's attachments as `remote`: sent by their URL, never downloaded. */
  async addOutgoing(messageId: string, files: OutgoingFileRow[]): Promise<void> {
    if (files.length === 0) return;
    await this.transactions.manager.query(
      `INSERT INTO message_files (message_id, kind, source_url, file_name, mime_type, status)
       SELECT $1, *, 'remote' FROM unnest($2::varchar[], $3::text[], $4::varchar[], $5::varchar[])`,
      [
        messageId,
        files.map((file) => file.kind),
        files.map((file) => file.url),
        files.map((file) => file.fileName),
        files.map((file) => file.mimeType),
      ],
    );
  }

  async findDownload(id: string): Promise<FileDownload | null> {
    const [file] = await this.transactions.manager.query<FileDownload[]>(
      `SELECT status, content, mime_type AS "mimeType", file_name AS "fileName", sha256 FROM message_files WHERE id = $1`,
      [id],
    );
    return file ?? null;
  }

  // Attachment downloads (the attachment.download job) and their dead letters.

  /** The file, when it still waits for its bytes (pending, or failed and retried). */
  async findToDownload(fileId: string): Promise<FileToDownload | undefined> {
    const [file] = await this.transactions.manager.query<FileToDownload[]>(
      `SELECT kind, source_url AS "sourceUrl", provider_file_id AS "providerFileId", file_name AS "fileName",
              mime_type AS "mimeType"
         FROM message_files WHERE id = $1 AND status IN ('pending', 'failed')`,
      [fileId],
    );
    return file;
  }

  /** Stores the bytes with their size, type and sha256; a name the message gave is kept. */
  async storeDownloaded(fileId: string, file: DownloadedFileContent): Promise<void> {
    await this.transactions.manager.query(
      `UPDATE message_files
          SET content = $2, size = $3, sha256 = $4, mime_type = $5, file_name = coalesce(file_name, $6),
              status = 'stored', error = NULL, updated_at = now()
        WHERE id = $1`,
      [fileId, file.content, file.content.length, file.sha256, file.mimeType, file.fileName],
    );
  }

  async markDownloadFailed(fileId: string, reason: string): Promise<void> {
    await this.transactions.manager.query(
      `UPDATE message_files SET status = 'failed', error = $2, updated_at = now() WHERE id = $1 AND status = 'pending'`,
      [fileId, reason],
    );
  }

  /** Marks a failed download pending again; answers its message's channel, or undefined when no such file failed. */
  async requeueFailedDownload(fileId: string): Promise<string | undefined> {
    const [[file]] = await this.transactions.manager.query<[[{ channelId: string } | undefined], number]>(
      `UPDATE message_files f SET status = 'pending', error = NULL, updated_at = now()
         FROM messages m WHERE f.id = $1 AND f.status = 'failed' AND m.id = f.message_id
       RETURNING m.channel_id AS "channelId"`,
      [fileId],
    );
    return file?.channelId;
  }
}
