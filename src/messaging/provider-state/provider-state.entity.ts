import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Channel } from '../../channels/channel.entity';

/** What a provider remembers per channel between calls: poll cursors, cached access tokens. */
@Entity('provider_state')
export class ProviderState {
  @PrimaryColumn({ type: 'uuid' })
  channelId: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  key: string;

  @ManyToOne(() => Channel, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'channel_id' })
  channel?: Channel;

  @Column({ type: 'jsonb' })
  value: unknown;

  /** For cached tokens: when the value stops being valid. */
  @Column({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
