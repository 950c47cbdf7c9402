import { Controller, Get, Param, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AdminTokenGuard } from '../common/auth/admin-token.guard';
import { UuidPipe } from '../common/http/uuid.pipe';
import { FilesService } from './files.service';

@Controller('files')
@UseGuards(AdminTokenGuard)
export class FilesController {
  constructor(private readonly files: FilesService) {}

  /** The stored bytes of an attachment, with its mime type and sha256 as the ETag. */
  @Get(':id')
  async download(@Param('id', new UuidPipe('File')) id: string, @Res() reply: FastifyReply): Promise<void> {
    const file = await this.files.download(id);
    void reply
      .status(200)
      .type(file.mimeType || 'application/octet-stream')
      .header('etag', `"${file.sha256 ?? ''}"`)
      .header('content-disposition', contentDisposition(file.fileName))
      .send(file.content);
  }
}

function contentDisposition(fileName: string | null): string {
  if (!fileName) return 'attachment';
  return `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
