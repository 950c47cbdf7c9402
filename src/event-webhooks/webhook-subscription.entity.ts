import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { WebhookEventType } from '../messaging/events/chat-event-catalogue';

/** A receiver of event webhooks (a CRM, a data warehouse, …): where to POST, which events, and how it is doing. */
@Entity('webhook_subscriptions')
export class WebhookSubscription {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'varchar', length: 32, array: true })
  events: WebhookEventType[];

  /** The `whsec_…` signing secret, encrypted with SecretBox; never answered after creation. */
  @Column({ type: 'text' })
  secret: string;

  /** False while paused (by an admin, or after failing for too long): deliveries are held, not attempted. */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'text', nullable: true })
  pausedReason: string | null;

  /** Failed attempts since the last success; a success resets it. */
  @Column({ type: 'int', default: 0 })
  consecutiveFailures: number;

  /** When the current run of failures began; null after a success. */
  @Column({ type: 'timestamptz', nullable: true })
  failingSince: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
