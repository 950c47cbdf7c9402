import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ProviderRegistry } from '../messaging/registry/provider-registry.service';
import { ChannelProvider } from './channel-provider.entity';
import { ChannelProviderRepository } from './channel-provider.repository';

/** Keeps the `channel_providers` table in step with the provider modules that are loaded. */
@Injectable()
export class ChannelProvidersService implements OnModuleInit {
  private readonly logger = new Logger(ChannelProvidersService.name);

  constructor(
    private readonly providers: ChannelProviderRepository,
    private readonly registry: ProviderRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    const codes = this.registry.codes();
    await this.providers.upsertAvailable(
      codes.map((code) => {
        const { displayName, capabilities } = this.registry.get(code).registration;
        return { code, name: displayName, capabilities };
      }),
    );
    await this.providers.markUnavailableExcept(codes);
    this.logger.log(`providers: ${codes.join(', ')}`);
  }

  list(): Promise<ChannelProvider[]> {
    return this.providers.list();
  }
}
