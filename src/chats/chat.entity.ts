import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Channel } from '../channels/channel.entity';
import { Contact } from '../contacts/contact.entity';
import { Operator } from '../operators/operator.entity';
import { Queue } from '../routing/queue.entity';

export const CHAT_STATUSES = ['queued', 'active', 'closed'] as const;
export type ChatStatus = (typeof CHAT_STATUSES)[number];

@Entity('chats')
@Check('ck_chats_status', `status IN ('queued', 'active', 'closed')`)
@Index('uq_chats_open_per_external_chat', ['channelId', 'externalChatId'], {
  unique: true,
  where: `status <> 'closed'`,
})
@Index('ix_chats_activity', ['lastMessageId'])
@Index('ix_chats_channel_activity', ['channelId', 'lastMessageId'])
@Index('ix_chats_operator_activity', ['operatorId', 'lastMessageId'])
@Index('ix_chats_queue_waiting', ['queueId', 'lastMessageId'], { where: `status = 'queued'` })
export class Chat {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => Channel, { nullable: false })
  @JoinColumn({ name: 'channel_id' })
  channel?: Channel;

  @Column({ type: 'uuid' })
  channelId: string;

  @ManyToOne(() => Contact, { nullable: false })
  @JoinColumn({ name: 'contact_id' })
  contact?: Contact;

  @Index()
  @Column({ type: 'uuid' })
  contactId: string;

  @Column({ type: 'varchar', length: 200 })
  externalChatId: string;

  @ManyToOne(() => Queue, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'queue_id' })
  queue?: Queue | null;

  @Column({ type: 'uuid', nullable: true })
  queueId: string | null;

  @ManyToOne(() => Operator, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'operator_id' })
  operator?: Operator | null;

  @Column({ type: 'uuid', nullable: true })
  operatorId: string | null;

  @Column({ type: 'varchar', length: 16, default: 'queued' })
  status: ChatStatus;

  /** Inbound messages not yet read by an agent; kept as a counter so lists need not count rows. */
  @Column({ type: 'int', default: 0 })
  unreadCount: number;

  /** The sequence number of the chat's newest message (see Message.seq). */
  @Column({ type: 'int', default: 0 })
  lastSeq: number;

  /** The newest message's id; chats list newest activity first by it. */
  @Column({ type: 'bigint', nullable: true })
  lastMessageId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastMessageAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}
