import type { Type } from '@nestjs/common';
import type { ChannelContext, InboundRequest } from './channel-context';
import type { ProviderCapabilities } from './provider-capabilities';
import type { InboundEvent, OutgoingMessage, UnifiedAttachment } from './unified-message';

/** The answer to a provider's GET verification of the webhook URL (Meta `hub.challenge`, X CRC). */
export interface ChallengeAnswer {
  contentType: 'text/plain' | 'application/json';
  body: string;
}

/** Authenticates and parses a provider's inbound requests. */
export interface IncomeMessageWorker<TSettings = unknown> {
  /** Throws AppError INVALID_SIGNATURE unless the request carries the provider's valid signature. */
  verify(request: InboundRequest, channel: ChannelContext<TSettings>): void;
  /**
   * Turns a verified body into messages and receipts; throws AppError INVALID_PAYLOAD naming the
   * field at fault. Events the service does not handle (echoes, reactions…) are left out, not refused.
   */
  parse(body: unknown, channel: ChannelContext<TSettings>): InboundEvent[];
  /**
   * For providers that verify the URL with a GET: the answer, or AppError INVALID_SIGNATURE when
   * the request does not prove it comes from the provider. Absent: GET answers 404.
   */
  challenge?(request: InboundRequest, channel: ChannelContext<TSettings>): ChallengeAnswer;
}

/** For pull providers: reads new inbound events after `cursor` (null on the first poll). */
export interface InboundPoller<TSettings = unknown> {
  /** How often this channel wants to be polled. */
  intervalMs(channel: ChannelContext<TSettings>): number;
  /** Events newer than the cursor, oldest first, and the cursor to pass next time. */
  poll(
    channel: ChannelContext<TSettings>,
    cursor: string | null,
  ): Promise<{ events: InboundEvent[]; cursor: string | null }>;
}

/** Delivers one outgoing message; throws ProviderError when the provider refuses or fails. */
export interface OutcomeMessageWorker<TSettings = unknown> {
  send(message: OutgoingMessage, channel: ChannelContext<TSettings>): Promise<{ externalId: string | null }>;
}

export interface ContactProfile {
  name?: string;
  /** A public picture URL (never one that carries a token). */
  avatarUrl?: string;
  /** The picture's bytes, when the provider only serves it with credentials; served at /contacts/:id/avatar. */
  avatar?: DownloadedFile;
}

/** Looks up a customer's name and avatar; null when the provider has nothing to say. */
export interface ProfileDataProvider<TSettings = unknown> {
  getProfile(externalUserId: string, channel: ChannelContext<TSettings>): Promise<ContactProfile | null>;
}

export interface DownloadedFile {
  content: Buffer;
  mimeType: string;
  fileName?: string;
}

/** Downloads an inbound attachment's bytes; throws ProviderError on failure. */
export interface AttachmentsLoadWorker<TSettings = unknown> {
  load(attachment: UnifiedAttachment, channel: ChannelContext<TSettings>): Promise<DownloadedFile>;
}

export interface RegistrationResult {
  /** The channel's id in the messenger, when the provider reports one. */
  source: string | null;
  connected: boolean;
  /** Settings the registration produced (e.g. Telegram's generated secret_token), merged into the stored ones. */
  settings?: Record<string, unknown>;
}

/** Describes the provider and connects a channel to it. */
export interface MessengerRegistrationWorker<TSettings = unknown> {
  readonly displayName: string;
  /** The class-validator DTO of this provider's settings. */
  readonly settingsType: Type<TSettings>;
  readonly capabilities: ProviderCapabilities;
  /** Connects the channel (e.g. setWebhook); throws ProviderError when the provider refuses. */
  register(channel: ChannelContext<TSettings>): Promise<RegistrationResult>;
  /** Checks that the credentials still work; throws ProviderError when they do not. */
  check(channel: ChannelContext<TSettings>): Promise<void>;
}
