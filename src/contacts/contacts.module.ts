import { Module } from '@nestjs/common';
import { MessagingModule } from '../messaging/messaging.module';
import { ContactProfileJob } from './contact-profile.job';

@Module({ imports: [MessagingModule], providers: [ContactProfileJob] })
export class ContactsModule {}
