import type { MessageSenderType } from '../../chats/message.entity';
import type { MessageView } from '../../chats/message.repository';
import type { UnifiedAttachment } from '../contracts/unified-message';

export interface SendMessageInput {
  text?: string;
  attachments?: UnifiedAttachment[];
  /** The caller's idempotency key: sending it again returns the first message. */
  clientMessageId: string;
}

export interface MessageSender {
  type: Exclude<MessageSenderType, 'contact'>;
  id: string | null;
}

export interface RegisterChannelInput {
  name: string;
  provider: string;
  settings: unknown;
  queueId?: string | null;
  active?: boolean;
}

export interface MessagePage {
  items: MessageView[];
  /** Pass as `before` to get the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export interface MessagePageRequest {
  /** The previous page's nextCursor: only messages older than it. */
  before?: string;
  limit: number;
  /**
   * Read as this operator: the chat must be theirs or in one of their queues, else NOT_FOUND.
   * Left out (or null): as the supervisor, who reads every chat.
   */
  readerOperatorId?: string | null;
}
