import { Module } from '@nestjs/common';
import { MessagingModule } from '../messaging/messaging.module';
import { AttachmentDownloadJob } from './attachment-download.job';
import { FilesController } from './files.controller';
import { FilesService } from './files.service';

@Module({
  imports: [MessagingModule],
  controllers: [FilesController],
  providers: [FilesService, AttachmentDownloadJob],
})
export class FilesModule {}
