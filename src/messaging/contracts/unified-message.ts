/** A file attached to a message, as the provider describes it, before it is downloaded. */
export interface UnifiedAttachment {
  /** image, video, audio, voice, document, sticker, file. */
  kind: string;
  url?: string;
  providerFileId?: string;
  fileName?: string;
  mimeType?: string;
}

/** One inbound message in the provider-agnostic shape every IncomeMessageWorker produces. */
export interface UnifiedMessage {
  /** The provider's message id: the deduplication key within a channel. */
  externalMessageId: string;
  externalChatId: string;
  sender: { externalId: string; name?: string };
  text?: string;
  attachments: UnifiedAttachment[];
  /** The provider's own timestamp of the message. */
  sentAt: Date;
}

/** An agent's message on its way to the provider. */
export interface OutgoingMessage {
  id: string;
  externalChatId: string;
  text: string | null;
  attachments: UnifiedAttachment[];
}
