import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ProviderCapabilities } from '../messaging/contracts/provider-capabilities';

/** The provider lookup, kept in step with the provider modules at start. */
@Entity('channel_providers')
export class ChannelProvider {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'jsonb' })
  capabilities: ProviderCapabilities;

  /** False when no loaded module implements this code any more (its channels stay, inactive). */
  @Column({ type: 'boolean', default: true })
  available: boolean;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
