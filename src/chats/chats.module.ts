import { Module } from '@nestjs/common';
import { MessagingModule } from '../messaging/messaging.module';
import { ChatsController } from './chats.controller';
import { ChatsService } from './chats.service';

@Module({
  imports: [MessagingModule],
  controllers: [ChatsController],
  providers: [ChatsService],
})
export class ChatsModule {}
