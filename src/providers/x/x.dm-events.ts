import { UnifiedAttachment, UnifiedMessage } from '../../messaging/contracts/unified-message';
import { XDmEvent, XDmEventsPage, XMedia, XUser } from './x.api.types';

const SNOWFLAKE_ID = /^\d{1,20}$/;
/** Snowflake ids carry their creation time: milliseconds since this epoch, shifted left 22 bits. */
const SNOWFLAKE_EPOCH_MS = 1288834974657n;

const ATTACHMENT_KINDS: Record<string, string> = { photo: 'image', video: 'video', animated_gif: 'video' };

/** Orders two X ids (64-bit decimal strings) exactly; a Number would round them. */
export function compareEventIds(a: string, b: string): number {
  const [left, right] = [BigInt(a), BigInt(b)];
  return left < right ? -1 : left > right ? 1 : 0;
}

export interface DmEventsPageReading {
  /** Customer messages newer than the cursor. */
  messages: UnifiedMessage[];
  /** The newest event id newer than the cursor, the account's own messages included. */
  newestId: string | null;
  /** Whether the page got down to the cursor: older pages hold nothing new. */
  reachedCursor: boolean;
}

/**
 * Reads one GET /2/dm_events page: the messages newer than `cursor` (all of them when it is null),
 * leaving out the account's own messages and events that cannot be routed to a chat.
 */
export function readDmEventsPage(
  page: XDmEventsPage,
  cursor: string | null,
  ownUserId: string | null,
): DmEventsPageReading {
  const users = new Map((page.includes?.users ?? []).map((user) => [user.id, user]));
  const media = new Map((page.includes?.media ?? []).map((item) => [item.media_key, item]));
  const reading: DmEventsPageReading = { messages: [], newestId: null, reachedCursor: false };
  for (const event of page.data ?? []) {
    if (typeof event.id !== 'string' || !SNOWFLAKE_ID.test(event.id)) continue;
    if (cursor !== null && compareEventIds(event.id, cursor) <= 0) {
      reading.reachedCursor = true;
      continue;
    }
    if (reading.newestId === null || compareEventIds(event.id, reading.newestId) > 0) reading.newestId = event.id;
    if (isCustomerMessage(event, ownUserId)) reading.messages.push(toUnifiedMessage(event, users, media));
  }
  return reading;
}

/** `name`, else `@username`. */
export function displayNameOf(user: XUser | undefined): string | undefined {
  return user?.name?.trim() || (user?.username ? `@${user.username}` : undefined);
}

function isCustomerMessage(
  event: XDmEvent,
  ownUserId: string | null,
): event is XDmEvent & { sender_id: string; dm_conversation_id: string } {
  return (
    (event.event_type === undefined || event.event_type === 'MessageCreate') &&
    typeof event.sender_id === 'string' &&
    typeof event.dm_conversation_id === 'string' &&
    event.sender_id !== ownUserId
  );
}

function toUnifiedMessage(
  event: XDmEvent & { sender_id: string; dm_conversation_id: string },
  users: Map<string, XUser>,
  media: Map<string, XMedia>,
): UnifiedMessage {
  const name = displayNameOf(users.get(event.sender_id));
  return {
    kind: 'message',
    externalMessageId: event.id,
    externalChatId: event.dm_conversation_id,
    sender: name ? { externalId: event.sender_id, name } : { externalId: event.sender_id },
    ...(event.text ? { text: event.text } : {}),
    attachments: (event.attachments?.media_keys ?? []).map((key) => attachmentOf(key, media.get(key))),
    sentAt: sentAtOf(event),
  };
}

/** Photos come with a public URL; videos and GIFs do not (the attachment then fails to load, saying why). */
function attachmentOf(mediaKey: string, media: XMedia | undefined): UnifiedAttachment {
  const attachment: UnifiedAttachment = {
    kind: ATTACHMENT_KINDS[media?.type ?? ''] ?? 'file',
    providerFileId: mediaKey,
  };
  if (!media?.url || !URL.canParse(media.url)) return attachment;
  const fileName = new URL(media.url).pathname.split('/').pop();
  return { ...attachment, url: media.url, ...(fileName ? { fileName } : {}) };
}

/** `created_at`, or the time inside the snowflake id when X leaves the field out. */
function sentAtOf(event: XDmEvent): Date {
  const createdAt = Date.parse(event.created_at ?? '');
  if (!Number.isNaN(createdAt)) return new Date(createdAt);
  return new Date(Number((BigInt(event.id) >> 22n) + SNOWFLAKE_EPOCH_MS));
}
