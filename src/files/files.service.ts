import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { FileDownload, MessageFileRepository } from './message-file.repository';

/** Reads of stored attachments for the files API. */
@Injectable()
export class FilesService {
  constructor(private readonly files: MessageFileRepository) {}

  /** AppError NOT_FOUND for an unknown file, CONFLICT for one whose bytes are not stored (yet, or ever). */
  async download(id: string): Promise<FileDownload> {
    const file = await this.files.findDownload(id);
    if (!file) throw AppError.notFound('File', id);
    if (file.status !== 'stored') {
      throw new AppError('CONFLICT', `File ${id} is ${file.status}, not stored; nothing to download`);
    }
    return file;
  }
}
