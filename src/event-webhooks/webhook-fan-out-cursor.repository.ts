import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';
import type { HorizonProgress } from '../messaging/events/event-log-horizon';

interface CursorRow {
  lastEventId: string;
  horizonEventId: string | null;
  horizonWaitsFor: string[] | null;
}

/** The only reader and writer of `webhook_fan_out_cursor`: the fan-out's progress, one row for all instances. */
@Injectable()
export class WebhookFanOutCursorRepository {
  constructor(private readonly transactions: Transactions) {}

  /** Creates the row at `lastEventId` unless it exists. */
  async createIfMissing(lastEventId: string): Promise<void> {
    await this.transactions.manager.query(
      `INSERT INTO webhook_fan_out_cursor (id, last_event_id) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`,
      [lastEventId],
    );
  }

  /** The progress as last saved, without locking it; undefined before the row exists. */
  async read(): Promise<HorizonProgress | undefined> {
    const [cursor] = await this.transactions.manager.query<CursorRow[]>(
      `SELECT last_event_id::text AS "lastEventId", horizon_event_id::text AS "horizonEventId",
              horizon_waits_for AS "horizonWaitsFor"
         FROM webhook_fan_out_cursor WHERE id = 1`,
    );
    return cursor && toProgress(cursor);
  }

  /**
   * The progress, locked until the caller's transaction ends; undefined while another instance
   * holds it (it is fanning out right now).
   */
  async claim(): Promise<HorizonProgress | undefined> {
    const [cursor] = await this.transactions.manager.query<CursorRow[]>(
      `SELECT last_event_id::text AS "lastEventId", horizon_event_id::text AS "horizonEventId",
              horizon_waits_for AS "horizonWaitsFor"
         FROM webhook_fan_out_cursor WHERE id = 1 FOR UPDATE SKIP LOCKED`,
    );
    return cursor && toProgress(cursor);
  }

  async save(progress: HorizonProgress): Promise<void> {
    await this.transactions.manager.query(
      `UPDATE webhook_fan_out_cursor
          SET last_event_id = $1, horizon_event_id = $2, horizon_waits_for = $3, updated_at = now()
        WHERE id = 1`,
      [progress.lastEventId, progress.horizon?.eventId ?? null, progress.horizon?.waitsFor ?? null],
    );
  }
}

function toProgress(cursor: CursorRow): HorizonProgress {
  const { lastEventId, horizonEventId, horizonWaitsFor } = cursor;
  return { lastEventId, horizon: horizonEventId ? { eventId: horizonEventId, waitsFor: horizonWaitsFor ?? [] } : null };
}
