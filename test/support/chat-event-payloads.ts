import { Client } from 'pg';
import { CHAT_EVENTS, isChatEventType } from '../../src/messaging/events/chat-event-catalogue';

export interface StoredEvent {
  type: string;
  payload: Record<string, unknown>;
}

/** How a stored event's payload departs from the catalogue's keys for its type; undefined when it does not. */
export function departureFromCatalogue({ type, payload }: StoredEvent): string | undefined {
  if (!isChatEventType(type)) return `${type}: not in the catalogue`;
  const declared: Record<string, 'required' | 'optional'> = CHAT_EVENTS[type].payload;
  const missing = Object.keys(declared).filter((key) => declared[key] === 'required' && !(key in payload));
  const unexpected = Object.keys(payload).filter((key) => !(key in declared));
  if (missing.length === 0 && unexpected.length === 0) return undefined;
  return `${type}: missing [${missing.join(', ')}], unexpected [${unexpected.join(', ')}]`;
}

export async function storedEvents(db: Client): Promise<StoredEvent[]> {
  const { rows } = await db.query<StoredEvent>(`SELECT type, payload FROM chat_events ORDER BY id`);
  return rows;
}
