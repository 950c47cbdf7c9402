import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A change agents and integrations are told about (message.created, chat.assigned, …; the types
 * and payloads are in the event catalogue). Rows are written in the transaction that made the
 * change; every instance's event log reader streams them, the event-webhook fan-out turns them into
 * deliveries, and a client reconnecting with Last-Event-ID is replayed what it missed.
 */
@Entity('chat_events')
@Index('ix_chat_events_created', ['createdAt'])
export class ChatEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  type: string;

  @Column({ type: 'uuid', nullable: true })
  chatId: string | null;

  /** The operator the chat belongs to when the event happened; they receive it. */
  @Column({ type: 'uuid', nullable: true })
  operatorId: string | null;

  /** The chat's queue; its members receive the event while the chat waits there. */
  @Column({ type: 'uuid', nullable: true })
  queueId: string | null;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
