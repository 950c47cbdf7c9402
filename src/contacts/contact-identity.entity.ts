import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Channel } from '../channels/channel.entity';
import { Contact } from './contact.entity';

/** Who a contact is on one channel: channel + the messenger's user id. */
@Entity('contact_identities')
@Index('uq_contact_identities_channel_user', ['channelId', 'externalUserId'], { unique: true })
export class ContactIdentity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => Contact, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id' })
  contact?: Contact;

  @Index()
  @Column({ type: 'uuid' })
  contactId: string;

  @ManyToOne(() => Channel, { nullable: false })
  @JoinColumn({ name: 'channel_id' })
  channel?: Channel;

  @Column({ type: 'uuid' })
  channelId: string;

  @Column({ type: 'varchar', length: 200 })
  externalUserId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
