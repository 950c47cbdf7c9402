import { UnifiedAttachment, UnifiedMessage } from '../../messaging/contracts/unified-message';
import { TelegramFileDto, TelegramMessageDto, TelegramPhotoSizeDto, TelegramStickerDto } from './telegram.update.dto';

/** The message fields that carry a downloadable file, and the attachment kind each becomes. */
const FILE_FIELDS = [
  ['document', 'document'],
  ['audio', 'audio'],
  ['voice', 'voice'],
  ['video', 'video'],
  ['video_note', 'video'],
] as const;

/** `<chat id>:<message id>`: Telegram message ids are unique only inside a chat. */
export function telegramMessageId(chatId: number, messageId: number): string {
  return `${chatId}:${messageId}`;
}

/**
 * A Telegram `message` (or `edited_message`, when `edited`) as a UnifiedMessage; null for
 * messages with nothing an agent can read (service messages, polls, dice…).
 */
export function toUnifiedMessage(message: TelegramMessageDto, edited: boolean): UnifiedMessage | null {
  const text = textOf(message);
  const attachments = attachmentsOf(message);
  if (text === undefined && attachments.length === 0) return null;
  return {
    kind: 'message',
    externalMessageId: telegramMessageId(message.chat.id, message.message_id),
    externalChatId: String(message.chat.id),
    sender: senderOf(message),
    text,
    attachments,
    sentAt: new Date((edited ? (message.edit_date ?? message.date) : message.date) * 1000),
    ...(edited ? { edited: true } : {}),
  };
}

function senderOf(message: TelegramMessageDto): UnifiedMessage['sender'] {
  // `from` is only missing on messages sent on behalf of a chat; the chat is then the sender.
  const sender = message.from ?? message.chat;
  const name = 'title' in sender && sender.title ? sender.title : fullName(sender.first_name, sender.last_name);
  return { externalId: String(sender.id), ...(name ? { name } : {}) };
}

function fullName(first: string | undefined, last: string | undefined): string | undefined {
  return [first, last].filter(Boolean).join(' ') || undefined;
}

/** Captions are the text of media messages; a place or a shared contact has no file, so it becomes text. */
function textOf(message: TelegramMessageDto): string | undefined {
  return message.text ?? message.caption ?? describePlace(message) ?? describeContact(message);
}

function describePlace({ location, venue }: TelegramMessageDto): string | undefined {
  if (!location) return undefined;
  const { latitude, longitude } = location;
  const map = `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}`;
  if (venue) return `Venue: ${venue.title}, ${venue.address} (${latitude}, ${longitude}) ${map}`;
  return `Location: ${latitude}, ${longitude} ${map}`;
}

function describeContact({ contact }: TelegramMessageDto): string | undefined {
  if (!contact) return undefined;
  return `Contact: ${fullName(contact.first_name, contact.last_name)}, ${contact.phone_number}`;
}

function attachmentsOf(message: TelegramMessageDto): UnifiedAttachment[] {
  const attachments: UnifiedAttachment[] = [];
  if (message.photo) attachments.push(photoAttachment(message.photo));
  for (const [field, kind] of FILE_FIELDS) {
    const file = message[field];
    if (file) attachments.push(fileAttachment(kind, file));
  }
  if (message.sticker) attachments.push(stickerAttachment(message.sticker));
  return attachments;
}

/** The sizes are of one picture; the largest is the original. */
function photoAttachment(sizes: TelegramPhotoSizeDto[]): UnifiedAttachment {
  const largest = sizes.reduce((best, size) => (size.width * size.height >= best.width * best.height ? size : best));
  return { kind: 'image', providerFileId: largest.file_id, mimeType: 'image/jpeg' };
}

function fileAttachment(kind: string, file: TelegramFileDto): UnifiedAttachment {
  return {
    kind,
    providerFileId: file.file_id,
    ...(file.file_name ? { fileName: file.file_name } : {}),
    ...(file.mime_type ? { mimeType: file.mime_type } : {}),
  };
}

/** Stickers are WebP pictures, TGS (gzipped Lottie) animations or WebM videos. */
function stickerAttachment(sticker: TelegramStickerDto): UnifiedAttachment {
  const mimeType = sticker.is_animated ? 'application/x-tgsticker' : sticker.is_video ? 'video/webm' : 'image/webp';
  return { kind: 'sticker', providerFileId: sticker.file_id, mimeType };
}
