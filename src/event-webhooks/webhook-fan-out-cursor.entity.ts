import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * How far chat events have been turned into webhook deliveries: ONE row for all instances,
 * claimed with FOR UPDATE SKIP LOCKED, so one instance at a time fans out.
 */
@Entity('webhook_fan_out_cursor')
@Check('ck_webhook_fan_out_cursor_single_row', 'id = 1')
export class WebhookFanOutCursor {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  /** Every chat event up to this id has been fanned out. */
  @Column({ type: 'bigint' })
  lastEventId: string;

  /**
   * A horizon waiting to become safe: the newest event id seen while the transactions in
   * `horizonWaitsFor` (virtual transaction ids) were still writing chat events, which may commit lower ids.
   */
  @Column({ type: 'bigint', nullable: true })
  horizonEventId: string | null;

  @Column({ type: 'text', array: true, nullable: true })
  horizonWaitsFor: string[] | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
