import { Module } from '@nestjs/common';
import { MessagingModule } from '../messaging/messaging.module';
import { DeadLettersController } from './dead-letters.controller';
import { DeadLettersService } from './dead-letters.service';

@Module({ imports: [MessagingModule], controllers: [DeadLettersController], providers: [DeadLettersService] })
export class DeadLettersModule {}
