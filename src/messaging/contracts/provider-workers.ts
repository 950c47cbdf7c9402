import type { Type } from '@nestjs/common';
import type { ChannelContext, InboundRequest } from './channel-context';
import type { ProviderCapabilities } from './provider-capabilities';
import type { OutgoingMessage, UnifiedAttachment, UnifiedMessage } from './unified-message';

/** Authenticates and parses a provider's inbound requests. */
export interface IncomeMessageWorker<TSettings = unknown> {
  /** Throws AppError INVALID_SIGNATURE unless the request carries the provider's valid signature. */
  verify(request: InboundRequest, channel: ChannelContext<TSettings>): void;
  /** Turns a verified body into messages; throws AppError INVALID_PAYLOAD naming the field at fault. */
  parse(body: unknown, channel: ChannelContext<TSettings>): UnifiedMessage[];
}

/** Delivers one outgoing message; throws ProviderError when the provider refuses or fails. */
export interface OutcomeMessageWorker<TSettings = unknown> {
  send(message: OutgoingMessage, channel: ChannelContext<TSettings>): Promise<{ externalId: string | null }>;
}

export interface ContactProfile {
  name?: string;
  avatarUrl?: string;
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
