import { Controller, Get, Param, Res, UseGuards } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { AdminTokenGuard } from '../common/auth/admin-token.guard';
import { AppError } from '../common/errors/app-error';
import { UuidPipe } from '../common/http/uuid.pipe';

interface StoredFileRow {
  status: string;
  content: Buffer | null;
  mime_type: string | null;
  file_name: string | null;
  sha256: string | null;
}

@Controller('files')
@UseGuards(AdminTokenGuard)
export class FilesController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The stored bytes of an attachment, with its mime type and sha256 as the ETag. */
  @Get(':id')
  async download(@Param('id', new UuidPipe('File')) id: string, @Res() response: Response): Promise<void> {
    const [file] = await this.dataSource.query<StoredFileRow[]>(
      `SELECT status, content, mime_type, file_name, sha256 FROM message_files WHERE id = $1`,
      [id],
    );
    if (!file) throw AppError.notFound('File', id);
    if (file.status !== 'stored') {
      throw new AppError('CONFLICT', `File ${id} is ${file.status}, not stored; nothing to download`);
    }
    response
      .status(200)
      .type(file.mime_type || 'application/octet-stream')
      .setHeader('etag', `"${file.sha256 ?? ''}"`)
      .setHeader('content-disposition', contentDisposition(file.file_name))
      .send(file.content);
  }
}

function contentDisposition(fileName: string | null): string {
  if (!fileName) return 'attachment';
  return `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
