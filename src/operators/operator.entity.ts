import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type OperatorStatus = 'online' | 'busy' | 'offline';

/** An agent. The API token is stored only as its SHA-256 hash. */
@Entity('operators')
@Check('ck_operators_status', `status IN ('online', 'busy', 'offline')`)
export class Operator {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ type: 'varchar', length: 16, default: 'offline' })
  status: OperatorStatus;

  @Column({ type: 'int', default: 5 })
  maxActiveChats: number;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64, select: false })
  tokenHash: string;

  /** When routing last gave this operator a chat; round robin picks the longest-waiting one. */
  @Column({ type: 'timestamptz', nullable: true })
  lastAssignedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
