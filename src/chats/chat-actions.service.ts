import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../common/auth/principal';
import { AppError } from '../common/errors/app-error';
import { ChatEventRepository } from '../events/chat-event.repository';
import { MessageView } from '../messaging/message-manager/message-history.query';
import { MessageManager } from '../messaging/message-manager/message-manager.service';
import { SendMessageInput } from '../messaging/message-manager/message-manager.types';
import { ProviderRegistry } from '../messaging/registry/provider-registry.service';
import { ChatRouter } from '../routing/chat-router.service';
import { ChatStatus } from './chat.entity';
import { chatScope, scopeParameter } from './chat-scope';
import { TransferChatDto } from './dto/transfer-chat.dto';

export const CHAT_ACTIONS = ['accept', 'read', 'reply', 'attach', 'edit', 'delete', 'close', 'transfer'] as const;
export type ChatAction = (typeof CHAT_ACTIONS)[number];

interface ChatState {
  id: string;
  status: ChatStatus;
  operator_id: string | null;
  queue_id: string | null;
  provider: string;
}

/**
 * OmnichannelChatService's changes to a chat: accept, mark read, reply, close, transfer, and the
 * list of what the caller may do now. Every action is checked against the caller first.
 */
@Injectable()
export class ChatActionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly chatEvents: ChatEventRepository,
    private readonly router: ChatRouter,
    private readonly messageManager: MessageManager,
    private readonly registry: ProviderRegistry,
  ) {}

  /** GetChatActions: what the caller may do with the chat now. */
  async actions(principal: Principal, chatId: string): Promise<ChatAction[]> {
    const chat = await this.readableChat(this.dataSource.manager, principal, chatId);
    return CHAT_ACTIONS.filter((action) => this.allows(principal, chat, action));
  }

  /** AcceptChat: of two operators accepting at once exactly one wins; the other gets 409. */
  async accept(principal: Principal, chatId: string): Promise<void> {
    const operatorId = requireOperator(principal, 'accept chats');
    await this.dataSource.transaction(async (manager) => {
      const chat = await this.readableChat(manager, principal, chatId);
      const [, claimed] = await manager.query<[unknown[], number]>(
        `UPDATE chats SET operator_id = $2, status = 'active'
          WHERE id = $1 AND status = 'queued' AND (operator_id IS NULL OR operator_id = $2)`,
        [chatId, operatorId],
      );
      if (claimed === 0) {
        throw new AppError(
          'CONFLICT',
          chat.status === 'queued'
            ? 'Another operator has already taken this chat'
            : `The chat is ${chat.status}, not waiting`,
        );
      }
      await this.chatEvents.append('chat.assigned', { chatId, operatorId });
    });
  }

  /** MarkChatAsRead: every inbound message becomes read and the chat's unread counter drops to zero. */
  async markRead(principal: Principal, chatId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.readableChat(manager, principal, chatId);
      await manager.query(`UPDATE chats SET unread_count = 0 WHERE id = $1`, [chatId]);
      await manager.query(
        `UPDATE messages SET status = 'read', updated_at = now() WHERE chat_id = $1 AND direction = 'in' AND status = 'received'`,
        [chatId],
      );
    });
  }

  /** The reply goes through MessageManager.send once the caller is allowed to answer this chat. */
  async reply(principal: Principal, chatId: string, input: SendMessageInput): Promise<MessageView> {
    const chat = await this.readableChat(this.dataSource.manager, principal, chatId);
    this.require(principal, chat, input.attachments?.length ? 'attach' : 'reply');
    const sender =
      principal.kind === 'operator'
        ? { type: 'operator' as const, id: principal.operator.id }
        : { type: 'supervisor' as const, id: null };
    return this.messageManager.send(chatId, input, sender);
  }

  /** CloseActiveChat: frees the operator's slot; the customer's next message opens a new chat. */
  async close(principal: Principal, chatId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const chat = await this.lockedChat(manager, principal, chatId);
      this.require(principal, chat, 'close');
      await manager.query(`UPDATE chats SET status = 'closed', closed_at = now() WHERE id = $1`, [chatId]);
      await this.chatEvents.append('chat.closed', { chatId, previousOperatorId: chat.operator_id });
    });
    this.router.wake();
  }

  /** Hands the chat to an operator (it becomes theirs, active) or back to a queue (it waits there). */
  async transfer(principal: Principal, chatId: string, target: TransferChatDto): Promise<void> {
    if (Boolean(target.operatorId) === Boolean(target.queueId)) {
      throw AppError.validation('operatorId', 'Give exactly one of operatorId or queueId');
    }
    await this.dataSource.transaction(async (manager) => {
      const chat = await this.lockedChat(manager, principal, chatId);
      this.require(principal, chat, 'transfer');
      if (target.operatorId) await this.assignTo(manager, chatId, target.operatorId);
      else await this.moveToQueue(manager, chatId, target.queueId!);
      await this.chatEvents.append('chat.transferred', {
        chatId,
        previousOperatorId: chat.operator_id,
        operatorId: target.operatorId ?? null,
        queueId: target.queueId ?? chat.queue_id,
      });
    });
    this.router.wake();
  }

  private async assignTo(manager: EntityManager, chatId: string, operatorId: string): Promise<void> {
    const [operator] = await manager.query<unknown[]>(`SELECT 1 FROM operators WHERE id = $1`, [operatorId]);
    if (!operator) throw AppError.validation('operatorId', `Operator ${operatorId} does not exist`);
    await manager.query(`UPDATE chats SET operator_id = $2, status = 'active' WHERE id = $1`, [chatId, operatorId]);
  }

  private async moveToQueue(manager: EntityManager, chatId: string, queueId: string): Promise<void> {
    const [queue] = await manager.query<unknown[]>(`SELECT 1 FROM queues WHERE id = $1`, [queueId]);
    if (!queue) throw AppError.validation('queueId', `Queue ${queueId} does not exist`);
    await manager.query(`UPDATE chats SET operator_id = NULL, queue_id = $2, status = 'queued' WHERE id = $1`, [
      chatId,
      queueId,
    ]);
  }

  private allows(principal: Principal, chat: ChatState, action: ChatAction): boolean {
    const mine = principal.kind === 'admin' || chat.operator_id === principal.operator.id;
    const open = chat.status !== 'closed';
    const capabilities = this.registry.get(chat.provider).registration.capabilities;
    switch (action) {
      case 'accept':
        return principal.kind === 'operator' && chat.status === 'queued' && (chat.operator_id === null || mine);
      case 'read':
        return true;
      case 'reply':
        return open && mine && (chat.status === 'active' || principal.kind === 'admin');
      case 'attach':
        return this.allows(principal, chat, 'reply') && capabilities.outboundAttachments;
      case 'edit':
        return this.allows(principal, chat, 'reply') && capabilities.editOwnMessages;
      case 'delete':
        return this.allows(principal, chat, 'reply') && capabilities.deleteOwnMessages;
      case 'close':
      case 'transfer':
        return open && mine;
    }
  }

  private require(principal: Principal, chat: ChatState, action: ChatAction): void {
    if (this.allows(principal, chat, action)) return;
    if (chat.status === 'closed') {
      throw new AppError('CHAT_CLOSED', `Chat ${chat.id} is closed; the customer's next message opens a new one`);
    }
    if (action === 'attach' || action === 'edit' || action === 'delete') {
      throw new AppError('CHANNEL_CANNOT_SEND', `This channel does not allow "${action}"`, 'attachments');
    }
    throw new AppError(
      'FORBIDDEN',
      `You cannot ${action} this chat: it is not assigned to you${chat.status === 'queued' ? '; accept it first' : ''}`,
    );
  }

  private readableChat(manager: EntityManager, principal: Principal, chatId: string): Promise<ChatState> {
    return this.findChat(manager, principal, chatId, '');
  }

  private lockedChat(manager: EntityManager, principal: Principal, chatId: string): Promise<ChatState> {
    return this.findChat(manager, principal, chatId, 'FOR UPDATE OF c');
  }

  private async findChat(
    manager: EntityManager,
    principal: Principal,
    chatId: string,
    lock: string,
  ): Promise<ChatState> {
    const [chat] = await manager.query<ChatState[]>(
      `SELECT c.id, c.status, c.operator_id, c.queue_id, ch.provider FROM chats c JOIN channels ch ON ch.id = c.channel_id
        WHERE c.id = $1 AND ${chatScope.readable(principal, '$2')} ${lock}`,
      [chatId, scopeParameter(principal)],
    );
    if (!chat) throw AppError.notFound('Chat', chatId);
    return chat;
  }
}

function requireOperator(principal: Principal, what: string): string {
  if (principal.kind !== 'operator')
    throw new AppError('FORBIDDEN', `Only operators can ${what}; use an operator token`);
  return principal.operator.id;
}
