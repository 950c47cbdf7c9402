import { Injectable } from '@nestjs/common';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { DownloadedFile } from '../../messaging/contracts/provider-workers';
import { TelegramClient } from './telegram.client';
import { TelegramSettings } from './telegram.settings.dto';

/** getFile, then the download: shared by attachments and avatars. */
@Injectable()
export class TelegramFileLoader {
  constructor(private readonly client: TelegramClient) {}

  /** The file's bytes, its name (the last segment of its file_path) and the type the file server gave. */
  async load(settings: TelegramSettings, fileId: string): Promise<DownloadedFile> {
    const file = await this.client.getFile(settings, fileId);
    if (!file.file_path) {
      throw new ProviderError('PERMANENT', 'Telegram gave no file_path: bots cannot download files over 20 MB');
    }
    const downloaded = await this.client.download(settings, file.file_path);
    return { ...downloaded, fileName: file.file_path.split('/').pop() };
  }
}
