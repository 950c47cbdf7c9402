import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { UuidPipe } from '../common/http/uuid.pipe';
import { MessageManager } from '../messaging/message-manager/message-manager.service';
import { MessagePage } from '../messaging/message-manager/message-manager.types';
import { OperatorOrAdminGuard } from '../operators/auth/operator-token.guard';
import { CurrentPrincipal, type Principal, readerOperatorId } from '../operators/auth/principal';
import { ChatAction, ChatActionsService } from './chat-actions.service';
import { ChatView } from './chat.repository';
import { ChatPage, ChatsService } from './chats.service';
import { ListChatsQuery, ListMessagesQuery } from './dto/chat-queries.dto';
import { SendMessageDto } from './dto/send-message.dto';
import { TransferChatDto } from './dto/transfer-chat.dto';
import { MessageView } from './message.repository';

const chatId = new UuidPipe('Chat');

/**
 * OmnichannelChatService. An operator token acts as that operator (their chats and queues);
 * the admin token acts as the supervisor and sees every chat.
 */
@Controller('chats')
@UseGuards(OperatorOrAdminGuard)
export class ChatsController {
  constructor(
    private readonly chats: ChatsService,
    private readonly chatActions: ChatActionsService,
    private readonly messageManager: MessageManager,
  ) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListChatsQuery): Promise<ChatPage> {
    return this.chats.list(principal, query);
  }

  /** GetUnreadChatsCount: open chats of the caller with unread customer messages. */
  @Get('unread-count')
  async unreadChats(@CurrentPrincipal() principal: Principal): Promise<{ count: number }> {
    return { count: (await this.chats.unreadCounts(principal)).chats };
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', chatId) id: string): Promise<ChatView> {
    return this.chats.get(principal, id);
  }

  /** GetConversation (getMessagesByChatId): newest first; pass nextCursor as `before`. */
  @Get(':id/messages')
  messages(
    @CurrentPrincipal() principal: Principal,
    @Param('id', chatId) id: string,
    @Query() query: ListMessagesQuery,
  ): Promise<MessagePage> {
    return this.messageManager.getMessagesByChatId(id, {
      before: query.before,
      limit: query.limit,
      readerOperatorId: readerOperatorId(principal),
    });
  }

  /** Queues the reply and answers 202; the dispatcher delivers it. */
  @Post(':id/messages')
  @HttpCode(202)
  send(
    @CurrentPrincipal() principal: Principal,
    @Param('id', chatId) id: string,
    @Body() dto: SendMessageDto,
  ): Promise<MessageView> {
    const attachments = dto.attachments?.map((file) => ({
      kind: file.type,
      url: file.url,
      fileName: file.fileName,
      mimeType: file.mimeType,
    }));
    return this.chatActions.reply(principal, id, { ...dto, attachments });
  }

  @Get(':id/actions')
  async actions(
    @CurrentPrincipal() principal: Principal,
    @Param('id', chatId) id: string,
  ): Promise<{ actions: ChatAction[] }> {
    return { actions: await this.chatActions.actions(principal, id) };
  }

  @Post(':id/accept')
  @HttpCode(200)
  async accept(@CurrentPrincipal() principal: Principal, @Param('id', chatId) id: string): Promise<ChatView> {
    await this.chatActions.accept(principal, id);
    return this.chats.get(principal, id);
  }

  @Post(':id/read')
  @HttpCode(200)
  async read(@CurrentPrincipal() principal: Principal, @Param('id', chatId) id: string): Promise<ChatView> {
    await this.chatActions.markRead(principal, id);
    return this.chats.get(principal, id);
  }

  @Post(':id/close')
  @HttpCode(200)
  async close(@CurrentPrincipal() principal: Principal, @Param('id', chatId) id: string): Promise<ChatView> {
    await this.chatActions.close(principal, id);
    return this.chats.get({ kind: 'admin' }, id);
  }

  @Post(':id/transfer')
  @HttpCode(200)
  async transfer(
    @CurrentPrincipal() principal: Principal,
    @Param('id', chatId) id: string,
    @Body() dto: TransferChatDto,
  ): Promise<ChatView> {
    await this.chatActions.transfer(principal, id, dto);
    return this.chats.get({ kind: 'admin' }, id);
  }
}

@Controller('messages')
@UseGuards(OperatorOrAdminGuard)
export class MessagesController {
  constructor(private readonly chats: ChatsService) {}

  /** GetUnreadMessagesCount: unread customer messages across the caller's open chats. */
  @Get('unread-count')
  async unreadMessages(@CurrentPrincipal() principal: Principal): Promise<{ count: number }> {
    return { count: (await this.chats.unreadCounts(principal)).messages };
  }
}
