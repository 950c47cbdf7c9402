import {
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Queue } from '../routing/queue.entity';
import { ChannelProvider } from './channel-provider.entity';
import { MsgSettings } from './msg-settings.entity';

@Entity('channels')
export class Channel {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @ManyToOne(() => ChannelProvider, { nullable: false })
  @JoinColumn({ name: 'provider' })
  providerRef?: ChannelProvider;

  @Column({ type: 'varchar', length: 64 })
  provider: string;

  @ManyToOne(() => MsgSettings, { nullable: false })
  @JoinColumn({ name: 'msg_settings_id' })
  msgSettings?: MsgSettings;

  @Column({ type: 'uuid' })
  msgSettingsId: string;

  /** The channel's own id in the messenger: bot id, page id, phone number id. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  source: string | null;

  @ManyToOne(() => Queue, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'queue_id' })
  queue?: Queue | null;

  @Column({ type: 'uuid', nullable: true })
  queueId: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'boolean', default: false })
  connected: boolean;

  @Column({ type: 'boolean', default: false })
  registered: boolean;

  /** The last provider error that stopped the channel, or null when healthy. */
  @Column({ type: 'text', nullable: true })
  error: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @DeleteDateColumn({ type: 'timestamptz' })
  deletedAt: Date | null;
}
