/** A horizon waiting to become safe: `eventId` once the transactions in `waitsFor` have ended. */
export interface PendingHorizon {
  eventId: string;
  /** Virtual transaction ids of the transactions that were writing chat events; empty once they ended. */
  waitsFor: string[];
}

/** How far a reader of the event log got, as far as the horizon is concerned; small enough to store. */
export interface HorizonProgress {
  /** Every event up to this id has been read. */
  lastEventId: string;
  horizon: PendingHorizon | null;
}

/** What the database showed, all in one statement. */
export interface EventWritersSnapshot {
  /** The newest chat event id visible. */
  latestEventId: string;
  /** Transactions (other than ours) holding a write lock on chat_events: they may still commit lower ids. */
  writers: string[];
  /** Whether every transaction the stored horizon waits for has ended. */
  horizonSettled: boolean;
}

export interface HorizonStep {
  /** Events up to this id may be read as complete now: none below it can still appear. */
  safeEventId: string;
  horizon: PendingHorizon | null;
}

/**
 * Event ids are taken when a transaction inserts, but transactions commit in any order: id 41 may
 * become visible after 42. A reader that moved its progress past 42 then would skip 41 for ever. So
 * progress only goes as far as a horizon no open transaction can still write below: the newest
 * visible id when nobody is writing chat events, or else an id seen earlier whose writers have all
 * ended since.
 */
export function nextHorizon(progress: HorizonProgress, seen: EventWritersSnapshot): HorizonStep {
  const { lastEventId, horizon } = progress;
  if (seen.writers.length === 0) return { safeEventId: maxId(lastEventId, seen.latestEventId), horizon: null };
  const fresh = { eventId: seen.latestEventId, waitsFor: seen.writers };
  if (!horizon) return { safeEventId: lastEventId, horizon: fresh };
  if (!seen.horizonSettled) return { safeEventId: lastEventId, horizon };
  // Settled: safe until consumed (perhaps over several pages); then the next one is taken.
  if (BigInt(horizon.eventId) > BigInt(lastEventId)) {
    return { safeEventId: horizon.eventId, horizon: { eventId: horizon.eventId, waitsFor: [] } };
  }
  return { safeEventId: lastEventId, horizon: fresh };
}

/** Whether a stored progress needs writing again. */
export function sameProgress(a: HorizonProgress, b: HorizonProgress): boolean {
  return (
    a.lastEventId === b.lastEventId &&
    a.horizon?.eventId === b.horizon?.eventId &&
    String(a.horizon?.waitsFor) === String(b.horizon?.waitsFor)
  );
}

function maxId(a: string, b: string): string {
  return BigInt(a) >= BigInt(b) ? a : b;
}
