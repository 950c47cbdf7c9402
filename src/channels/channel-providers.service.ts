import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Not, Repository } from 'typeorm';
import { ProviderRegistry } from '../messaging/registry/provider-registry.service';
import { ChannelProvider } from './channel-provider.entity';

/** Keeps the `channel_providers` table in step with the provider modules that are loaded. */
@Injectable()
export class ChannelProvidersService implements OnModuleInit {
  private readonly logger = new Logger(ChannelProvidersService.name);

  constructor(
    @InjectRepository(ChannelProvider) private readonly providers: Repository<ChannelProvider>,
    private readonly registry: ProviderRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    const codes = this.registry.codes();
    await this.providers.upsert(
      codes.map((code) => {
        const { displayName, capabilities } = this.registry.get(code).registration;
        return { code, name: displayName, capabilities, available: true };
      }),
      ['code'],
    );
    await this.providers.update({ code: Not(In(codes)) }, { available: false });
    this.logger.log(`providers: ${codes.join(', ')}`);
  }

  list(): Promise<ChannelProvider[]> {
    return this.providers.find({ order: { code: 'ASC' } });
  }
}
