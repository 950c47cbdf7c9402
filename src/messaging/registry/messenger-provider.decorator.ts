import { DiscoveryService } from '@nestjs/core';

export const PROVIDER_ROLES = ['income', 'outcome', 'profile', 'attachments', 'registration'] as const;
export type ProviderRole = (typeof PROVIDER_ROLES)[number];

export interface MessengerProviderMetadata {
  code: string;
  role: ProviderRole;
}

/** Marks a worker class as one role of a messenger provider; the registry finds it at start. */
export const MessengerProvider = DiscoveryService.createDecorator<MessengerProviderMetadata>();
