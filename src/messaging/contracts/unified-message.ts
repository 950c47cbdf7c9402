/** A file attached to a message, as the provider describes it, before it is downloaded. */
export interface UnifiedAttachment {
  /** image, video, audio, voice, document, sticker, location, contact, file. */
  kind: string;
  url?: string;
  providerFileId?: string;
  fileName?: string;
  mimeType?: string;
}

/** One inbound customer message in the provider-agnostic shape every IncomeMessageWorker produces. */
export interface UnifiedMessage {
  kind: 'message';
  /** The provider's message id: the deduplication key within a channel (make it unique per channel). */
  externalMessageId: string;
  externalChatId: string;
  sender: { externalId: string; name?: string };
  text?: string;
  attachments: UnifiedAttachment[];
  /** The provider's own timestamp of the message. */
  sentAt: Date;
  /** True when this replaces the text of a message already received (Telegram `edited_message`). */
  edited?: boolean;
}

export type ReceiptStatus = 'sent' | 'delivered' | 'read' | 'failed';

/**
 * What the provider says happened to one of OUR outgoing messages. Either `externalMessageId`
 * names it, or `upTo` is a watermark: every outgoing message of the chat sent at or before it.
 */
export interface DeliveryReceipt {
  kind: 'receipt';
  status: ReceiptStatus;
  externalChatId: string;
  externalMessageId?: string;
  upTo?: Date;
  /** For `failed`: the provider's reason. */
  error?: string;
}

export type InboundEvent = UnifiedMessage | DeliveryReceipt;

/** An agent's message on its way to the provider. */
export interface OutgoingMessage {
  id: string;
  externalChatId: string;
  /** The customer's id on this channel (X sends to a participant, not to a conversation). */
  recipientExternalId: string;
  text: string | null;
  attachments: UnifiedAttachment[];
}
