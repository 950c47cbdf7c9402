import { Module } from '@nestjs/common';
import { MessagingModule } from '../messaging/messaging.module';
import { AttachmentDownloadJob } from './attachment-download.job';
import { FilesController } from './files.controller';

@Module({ imports: [MessagingModule], controllers: [FilesController], providers: [AttachmentDownloadJob] })
export class FilesModule {}
