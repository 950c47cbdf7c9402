import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { Transactions } from '../database/transactions';
import { ChatEventRepository } from '../events/chat-event.repository';
import { MessageManager } from '../messaging/message-manager/message-manager.service';
import { SendMessageInput } from '../messaging/message-manager/message-manager.types';
import { ProviderRegistry } from '../messaging/registry/provider-registry.service';
import { Principal, readerOperatorId } from '../operators/auth/principal';
import { OperatorRepository } from '../operators/operator.repository';
import { ChatRouter } from '../routing/chat-router.service';
import { QueueRepository } from '../routing/queue.repository';
import { ChatForAction, ChatRepository } from './chat.repository';
import { TransferChatDto } from './dto/transfer-chat.dto';
import { MessageRepository, MessageView } from './message.repository';

export const CHAT_ACTIONS = ['accept', 'read', 'reply', 'attach', 'edit', 'delete', 'close', 'transfer'] as const;
export type ChatAction = (typeof CHAT_ACTIONS)[number];

/**
 * OmnichannelChatService's changes to a chat: accept, mark read, reply, close, transfer, and the
 * list of what the caller may do now. Every action is checked against the caller first.
 */
@Injectable()
export class ChatActionsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly chats: ChatRepository,
    private readonly messages: MessageRepository,
    private readonly operators: OperatorRepository,
    private readonly queues: QueueRepository,
    private readonly chatEvents: ChatEventRepository,
    private readonly router: ChatRouter,
    private readonly messageManager: MessageManager,
    private readonly registry: ProviderRegistry,
  ) {}

  /** GetChatActions: what the caller may do with the chat now. */
  async actions(principal: Principal, chatId: string): Promise<ChatAction[]> {
    const chat = await this.readableChat(principal, chatId);
    return CHAT_ACTIONS.filter((action) => this.allows(principal, chat, action));
  }

  /** AcceptChat: of two operators accepting at once exactly one wins; the other gets 409. */
  async accept(principal: Principal, chatId: string): Promise<void> {
    const operatorId = requireOperator(principal, 'accept chats');
    await this.transactions.run(async () => {
      const chat = await this.readableChat(principal, chatId);
      if (!(await this.chats.accept(chatId, operatorId))) {
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
    await this.transactions.run(async () => {
      await this.readableChat(principal, chatId);
      await this.chats.resetUnread(chatId);
      await this.messages.markInboundRead(chatId);
    });
  }

  /** The reply goes through MessageManager.send once the caller is allowed to answer this chat. */
  async reply(principal: Principal, chatId: string, input: SendMessageInput): Promise<MessageView> {
    const chat = await this.readableChat(principal, chatId);
    this.require(principal, chat, input.attachments?.length ? 'attach' : 'reply');
    const sender =
      principal.kind === 'operator'
        ? { type: 'operator' as const, id: principal.operator.id }
        : { type: 'supervisor' as const, id: null };
    return this.messageManager.send(chatId, input, sender);
  }

  /** CloseActiveChat: frees the operator's slot; the customer's next message opens a new chat. */
  async close(principal: Principal, chatId: string): Promise<void> {
    await this.transactions.run(async () => {
      const chat = await this.lockedChat(principal, chatId);
      this.require(principal, chat, 'close');
      await this.chats.close(chatId);
      await this.chatEvents.append('chat.closed', { chatId, previousOperatorId: chat.operatorId });
    });
    this.router.wake();
  }

  /** Hands the chat to an operator (it becomes theirs, active) or back to a queue (it waits there). */
  async transfer(principal: Principal, chatId: string, target: TransferChatDto): Promise<void> {
    if (Boolean(target.operatorId) === Boolean(target.queueId)) {
      throw AppError.validation('operatorId', 'Give exactly one of operatorId or queueId');
    }
    await this.transactions.run(async () => {
      const chat = await this.lockedChat(principal, chatId);
      this.require(principal, chat, 'transfer');
      if (target.operatorId) await this.assignTo(chatId, target.operatorId);
      else await this.moveToQueue(chatId, target.queueId!);
      await this.chatEvents.append('chat.transferred', {
        chatId,
        previousOperatorId: chat.operatorId,
        operatorId: target.operatorId ?? null,
        queueId: target.queueId ?? chat.queueId,
      });
    });
    this.router.wake();
  }

  private async assignTo(chatId: string, operatorId: string): Promise<void> {
    if (!(await this.operators.exists(operatorId))) {
      throw AppError.validation('operatorId', `Operator ${operatorId} does not exist`);
    }
    await this.chats.assign(chatId, operatorId);
  }

  private async moveToQueue(chatId: string, queueId: string): Promise<void> {
    if (!(await this.queues.exists(queueId))) throw AppError.validation('queueId', `Queue ${queueId} does not exist`);
    await this.chats.moveToQueue(chatId, queueId);
  }

  private allows(principal: Principal, chat: ChatForAction, action: ChatAction): boolean {
    const mine = principal.kind === 'admin' || chat.operatorId === principal.operator.id;
    const open = chat.status !== 'closed';
    const capabilities = this.registry.get(chat.provider).registration.capabilities;
    switch (action) {
      case 'accept':
        return principal.kind === 'operator' && chat.status === 'queued' && (chat.operatorId === null || mine);
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

  private require(principal: Principal, chat: ChatForAction, action: ChatAction): void {
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

  private async readableChat(principal: Principal, chatId: string): Promise<ChatForAction> {
    return found(chatId, await this.chats.findForAction(chatId, readerOperatorId(principal)));
  }

  private async lockedChat(principal: Principal, chatId: string): Promise<ChatForAction> {
    return found(chatId, await this.chats.lockForAction(chatId, readerOperatorId(principal)));
  }
}

/** AppError NOT_FOUND both when the chat does not exist and when the caller may not read it. */
function found(chatId: string, chat: ChatForAction | null): ChatForAction {
  if (!chat) throw AppError.notFound('Chat', chatId);
  return chat;
}

function requireOperator(principal: Principal, what: string): string {
  if (principal.kind !== 'operator')
    throw new AppError('FORBIDDEN', `Only operators can ${what}; use an operator token`);
  return principal.operator.id;
}
