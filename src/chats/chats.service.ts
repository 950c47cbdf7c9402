import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { Principal, readerOperatorId } from '../operators/auth/principal';
import { ChatListRow, ChatRepository, ChatView, UnreadCounts } from './chat.repository';
import { ListChatsQuery } from './dto/chat-queries.dto';

export interface ChatPage {
  items: ChatView[];
  nextCursor: string | null;
}

/** Chat lists, details and unread counts, scoped to the caller, newest activity first. */
@Injectable()
export class ChatsService {
  constructor(private readonly chats: ChatRepository) {}

  /** GetChats: keyset-paginated on the last message id. */
  async list(principal: Principal, query: ListChatsQuery): Promise<ChatPage> {
    const filter = {
      channelId: query.channelId ?? null,
      status: query.status ?? null,
      before: query.cursor ?? null,
      limit: query.limit,
    };
    const rows =
      principal.kind === 'operator'
        ? await this.chats.pageForOperator(principal.operator.id, filter)
        : await this.chats.pageForSupervisor(filter);
    const nextCursor = rows.length === query.limit ? rows[rows.length - 1].cursor : null;
    return { items: rows.map(withoutCursor), nextCursor };
  }

  /** AppError NOT_FOUND both when the chat does not exist and when the caller may not see it. */
  async get(principal: Principal, id: string): Promise<ChatView> {
    const chat = await this.chats.viewFor(id, readerOperatorId(principal));
    if (!chat) throw AppError.notFound('Chat', id);
    return withoutCursor(chat);
  }

  /** GetUnreadChatsCount and GetUnreadMessagesCount over the caller's open work, in one statement. */
  unreadCounts(principal: Principal): Promise<UnreadCounts> {
    return principal.kind === 'operator'
      ? this.chats.countUnreadForOperator(principal.operator.id)
      : this.chats.countUnreadForSupervisor();
  }
}

function withoutCursor({ cursor: _cursor, ...chat }: ChatListRow): ChatView {
  return chat;
}
