import type { MessageSenderType } from '../../chats/message.entity';
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
