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
}
