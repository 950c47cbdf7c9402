import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('contacts')
export class Contact {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column({ type: 'text', nullable: true })
  avatarUrl: string | null;

  /** The picture itself, for providers that only serve it with credentials (served at /contacts/:id/avatar). */
  @Column({ type: 'bytea', nullable: true, select: false })
  avatar: Buffer | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  avatarMimeType: string | null;

  /** True while the name is the `[New Contact][<channel>]-<client id>` fallback. */
  @Column({ type: 'boolean', default: false })
  namePlaceholder: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
