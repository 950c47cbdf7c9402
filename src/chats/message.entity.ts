import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Channel } from '../channels/channel.entity';
import { Chat } from './chat.entity';

export const MESSAGE_STATUSES = ['received', 'queued', 'sending', 'sent', 'delivered', 'read', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
export type MessageDirection = 'in' | 'out';
export type MessageSenderType = 'contact' | 'operator' | 'supervisor';

@Entity('messages')
@Check('ck_messages_direction', `direction IN ('in', 'out')`)
@Check('ck_messages_status', `status IN ('received', 'queued', 'sending', 'sent', 'delivered', 'read', 'failed')`)
// Inbound and outbound ids come from different issuers (the customer's side, the receiver), so each direction has its own namespace.
@Index('uq_messages_channel_provider_id', ['channelId', 'direction', 'providerMessageId'], { unique: true })
@Index('uq_messages_chat_client_id', ['chatId', 'clientMessageId'], { unique: true })
@Index('uq_messages_chat_seq', ['chatId', 'seq'], { unique: true })
// Only the outbox's rows have a due time. A predicate on status would let the planner take this index
// for the outbox's `id = $1 AND status = 'sending'` updates and scan every queued row per update.
@Index('ix_messages_outbox_due', ['nextAttemptAt'], { where: 'next_attempt_at IS NOT NULL' })
export class Message {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @ManyToOne(() => Chat, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'chat_id' })
  chat?: Chat;

  @Column({ type: 'uuid' })
  chatId: string;

  /** The message's place in its chat (1, 2, 3…): the conversation's order, whatever the clocks say. */
  @Column({ type: 'int' })
  seq: number;

  @ManyToOne(() => Channel, { nullable: false })
  @JoinColumn({ name: 'channel_id' })
  channel?: Channel;

  @Column({ type: 'uuid' })
  channelId: string;

  @Column({ type: 'varchar', length: 3 })
  direction: MessageDirection;

  @Column({ type: 'varchar', length: 16 })
  senderType: MessageSenderType;

  /** The contact or operator who wrote it; null for supervisor (admin token) replies. */
  @Column({ type: 'uuid', nullable: true })
  senderId: string | null;

  @Column({ type: 'text', nullable: true })
  text: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: MessageStatus;

  @Column({ type: 'varchar', length: 200, nullable: true })
  providerMessageId: string | null;

  /** The agent's idempotency key: repeating it returns the first message. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  clientMessageId: string | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  /** When the dispatcher may next try it; while `sending`, when its claim expires. */
  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** When the customer last edited this inbound message. */
  @Column({ type: 'timestamptz', nullable: true })
  editedAt: Date | null;

  /** The provider's time for inbound messages; the time the provider accepted outbound ones. */
  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
