import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { AppError } from '../../common/errors/app-error';
import type { InboundRequestSimulator } from '../contracts/inbound-simulation';
import type {
  AttachmentsLoadWorker,
  InboundPoller,
  IncomeMessageWorker,
  MessengerRegistrationWorker,
  OutcomeMessageWorker,
  ProfileDataProvider,
} from '../contracts/provider-workers';
import { MessengerProvider, PROVIDER_ROLES, ProviderRole } from '../contracts/messenger-provider.decorator';

/** The workers of one provider (its five roles and the optional ones), looked up by the code stored on a channel. */
export interface ProviderWorkers {
  code: string;
  income: IncomeMessageWorker;
  outcome: OutcomeMessageWorker;
  profile: ProfileDataProvider;
  attachments: AttachmentsLoadWorker;
  registration: MessengerRegistrationWorker;
  /** Only for pull providers. */
  poller?: InboundPoller;
  /** Only for push providers that the CLI can simulate. */
  simulator?: InboundRequestSimulator;
}

/**
 * Discovers the classes marked with @MessengerProvider and refuses to start on a duplicate
 * role or a provider missing one of its five roles.
 */
@Injectable()
export class ProviderRegistry implements OnModuleInit {
  private readonly providers = new Map<string, ProviderWorkers>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const found = new Map<string, Partial<Record<ProviderRole, unknown>>>();
    for (const wrapper of this.discovery.getProviders({ metadataKey: MessengerProvider.KEY })) {
      const { code, role } = this.discovery.getMetadataByDecorator(MessengerProvider, wrapper)!;
      const roles = found.get(code) ?? {};
      if (roles[role]) throw new Error(`Provider "${code}" has two ${role} workers`);
      roles[role] = wrapper.instance;
      found.set(code, roles);
    }
    for (const [code, roles] of found) {
      const missing = PROVIDER_ROLES.filter((role) => !roles[role]);
      if (missing.length > 0) throw new Error(`Provider "${code}" has no ${missing.join(', ')} worker`);
      this.providers.set(code, { code, ...roles } as ProviderWorkers);
    }
  }

  /** The provider's workers; AppError VALIDATION_FAILED if no module implements the code. */
  get(code: string): ProviderWorkers {
    const workers = this.providers.get(code);
    if (!workers) {
      throw AppError.validation('provider', `Unknown provider "${code}"; known: ${this.codes().join(', ')}`);
    }
    return workers;
  }

  codes(): string[] {
    return [...this.providers.keys()].sort();
  }

  /** Codes of the providers that are polled rather than pushed to. */
  pullCodes(): string[] {
    return this.codes().filter((code) => this.providers.get(code)!.poller);
  }

  /** Codes of the providers whose inbound requests the CLI can simulate. */
  simulatedCodes(): string[] {
    return this.codes().filter((code) => this.providers.get(code)!.simulator);
  }
}
