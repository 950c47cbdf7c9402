import { Module } from '@nestjs/common';
import { MessagingModule } from '../messaging/messaging.module';
import { ContactProfileJob } from './contact-profile.job';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';

@Module({
  imports: [MessagingModule],
  controllers: [ContactsController],
  providers: [ContactsService, ContactProfileJob],
})
export class ContactsModule {}
