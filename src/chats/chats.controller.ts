import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { AdminTokenGuard } from '../common/auth/admin-token.guard';
import { UuidPipe } from '../common/http/uuid.pipe';
import { MessagePage, MessageView } from '../messaging/message-manager/message-history.query';
import { MessageManager } from '../messaging/message-manager/message-manager.service';
import { ChatPage, ChatsService, ChatView } from './chats.service';
import { ListChatsQuery, ListMessagesQuery } from './dto/chat-queries.dto';
import { SendMessageDto } from './dto/send-message.dto';

const chatId = new UuidPipe('Chat');

/** The supervisor's view of every chat (admin token); agents get their own scoped API. */
@Controller('chats')
@UseGuards(AdminTokenGuard)
export class ChatsController {
  constructor(
    private readonly chats: ChatsService,
    private readonly messageManager: MessageManager,
  ) {}

  @Get()
  list(@Query() query: ListChatsQuery): Promise<ChatPage> {
    return this.chats.list(query);
  }

  @Get(':id')
  get(@Param('id', chatId) id: string): Promise<ChatView> {
    return this.chats.get(id);
  }

  @Get(':id/messages')
  messages(@Param('id', chatId) id: string, @Query() query: ListMessagesQuery): Promise<MessagePage> {
    return this.messageManager.getMessagesByChatId(id, { before: query.before, limit: query.limit });
  }

  /** Queues the reply and answers 202; the dispatcher delivers it. */
  @Post(':id/messages')
  @HttpCode(202)
  send(@Param('id', chatId) id: string, @Body() dto: SendMessageDto): Promise<MessageView> {
    const attachments = dto.attachments?.map((file) => ({
      kind: file.type,
      url: file.url,
      fileName: file.fileName,
      mimeType: file.mimeType,
    }));
    return this.messageManager.send(id, { ...dto, attachments }, { type: 'supervisor', id: null });
  }
}
