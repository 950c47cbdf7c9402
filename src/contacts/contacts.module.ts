import { Module } from '@nestjs/common';
import { MessagingModule } from '../messaging/messaging.module';
import { ContactProfileJob } from './contact-profile.job';
import { ContactsController } from './contacts.controller';

@Module({ imports: [MessagingModule], controllers: [ContactsController], providers: [ContactProfileJob] })
export class ContactsModule {}
