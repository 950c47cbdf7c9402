import { DiscoveryService } from '@nestjs/core';

/** The roles every provider has. */
export const PROVIDER_ROLES = ['income', 'outcome', 'profile', 'attachments', 'registration'] as const;
/** Pull providers (no webhooks) add a poller; push providers a simulator of their inbound requests for the CLI. */
export type ProviderRole = (typeof PROVIDER_ROLES)[number] | 'poller' | 'simulator';

export interface MessengerProviderMetadata {
  code: string;
  role: ProviderRole;
}

/** Marks a worker class as one role of a messenger provider; the registry finds it at start. */
export const MessengerProvider = DiscoveryService.createDecorator<MessengerProviderMetadata>();
