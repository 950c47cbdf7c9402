import { ProviderError, ProviderErrorCode } from './provider-error';
import { ProviderStateStore } from './provider-state-store';

/** A message the provider takes as several calls (e.g. a text, then one call per attachment). */
export interface MultiPartMessage<TPart> {
  channelId: string;
  /** The outgoing message's id: its progress is kept under it between attempts. */
  messageId: string;
  parts: TPart[];
  /** Sends one part; the provider's id for it, or null when it gives none. */
  sendPart: (part: TPart) => Promise<string | null>;
  /** Which part's id names the whole message: the first's (default) or the last's. */
  externalIdFrom?: 'first' | 'last';
}

/** How long the ids of a half-sent message are kept for its retries. */
const PROGRESS_TTL_MS = 7 * 24 * 60 * 60_000;
/** Failures after which the core fails the message: no retry will come to resume it. */
const FINAL_FAILURES = new Set<ProviderErrorCode>(['PERMANENT', 'NOT_FOUND']);

/**
 * Sends the parts in order and answers the external id the core should store. The parts already
 * accepted are remembered, so a retry after a failure part-way sends only the rest; the first
 * failure stops the send and is thrown as it came.
 */
export async function sendInParts<TPart>(
  state: ProviderStateStore,
  message: MultiPartMessage<TPart>,
): Promise<string | null> {
  const { channelId, parts, sendPart } = message;
  if (parts.length === 0)
    throw new ProviderError('PERMANENT', 'the message has neither text nor an attachment to send');
  if (parts.length === 1) return sendPart(parts[0]);
  const key = `multi-part-send:${message.messageId}`;
  const sentIds = (await state.get<(string | null)[]>(channelId, key)) ?? [];
  try {
    for (const part of parts.slice(sentIds.length)) {
      sentIds.push(await sendPart(part));
      if (sentIds.length < parts.length) {
        await state.set(channelId, key, sentIds, new Date(Date.now() + PROGRESS_TTL_MS));
      }
    }
  } catch (error) {
    if (FINAL_FAILURES.has(ProviderError.from(error).code)) await state.delete(channelId, key);
    throw error;
  }
  await state.delete(channelId, key);
  const ids = sentIds.filter((id): id is string => id !== null);
  return (message.externalIdFrom === 'last' ? ids.at(-1) : ids[0]) ?? null;
}
