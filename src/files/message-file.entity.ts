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
import { Message } from '../chats/message.entity';

export const FILE_STATUSES = ['pending', 'stored', 'failed', 'remote'] as const;
/** pending: download queued; stored: bytes here; failed: download gave up; remote: outbound, sent by URL. */
export type FileStatus = (typeof FILE_STATUSES)[number];

@Entity('message_files')
@Check('ck_message_files_status', `status IN ('pending', 'stored', 'failed', 'remote')`)
export class MessageFile {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => Message, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id' })
  message?: Message;

  @Index()
  @Column({ type: 'bigint' })
  messageId: string;

  /** image, video, audio, voice, document, sticker, file. */
  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'text', nullable: true })
  sourceUrl: string | null;

  /** The provider's handle for the file when it has one (Telegram file_id, Graph media id). */
  @Column({ type: 'varchar', length: 300, nullable: true })
  providerFileId: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  fileName: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  mimeType: string | null;

  @Column({ type: 'bigint', nullable: true })
  size: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  sha256: string | null;

  @Column({ type: 'bytea', nullable: true, select: false })
  content: Buffer | null;

  @Column({ type: 'varchar', length: 16 })
  status: FileStatus;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
