import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A receipt for an outgoing message we do not know by that provider id yet: the provider's
 * webhook can beat the answer of its own send call. Applied when the send settles.
 */
@Entity('pending_receipts')
@Index('uq_pending_receipts', ['channelId', 'providerMessageId', 'status'], { unique: true })
export class PendingReceipt {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'uuid' })
  channelId: string;

  @Column({ type: 'varchar', length: 200 })
  providerMessageId: string;

  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  receivedAt: Date;
}
