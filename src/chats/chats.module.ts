import { Module } from '@nestjs/common';
import { MessagingModule } from '../messaging/messaging.module';
import { RoutingModule } from '../routing/routing.module';
import { ChatActionsService } from './chat-actions.service';
import { ChatsController, MessagesController } from './chats.controller';
import { ChatsService } from './chats.service';

@Module({
  imports: [MessagingModule, RoutingModule],
  controllers: [ChatsController, MessagesController],
  providers: [ChatsService, ChatActionsService],
})
export class ChatsModule {}
