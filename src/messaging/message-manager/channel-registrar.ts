import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { ChannelContextLoader } from '../channel-context/channel-context.loader';
import { ChannelSettingsCodec } from '../channel-context/channel-settings.codec';
import { ProviderError } from '../contracts/provider-error';
import { RegistrationResult } from '../contracts/provider-workers';
import { ProviderRegistry } from '../registry/provider-registry.service';
import { failureAction } from '../work-queue/provider-failure.policy';

export interface ChannelIdentity {
  id: string;
  name: string;
  provider: string;
  source: string | null;
}

export interface ConnectedChannel {
  /** Validated plain settings (encrypt before storing). */
  settings: Record<string, unknown>;
  result: RegistrationResult;
}

/** Validates a channel's settings with its provider's DTO and runs the provider's registration. */
@Injectable()
export class ChannelRegistrar {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly codec: ChannelSettingsCodec,
    private readonly contexts: ChannelContextLoader,
  ) {}

  async connect(channel: ChannelIdentity, rawSettings: unknown): Promise<ConnectedChannel> {
    const { registration } = this.registry.get(channel.provider);
    const settings = this.codec.validate(channel.provider, rawSettings);
    try {
      const result = await registration.register(this.contexts.contextOf(channel, settings));
      return { settings: { ...settings, ...result.settings }, result };
    } catch (error) {
      throw registrationFailure(error);
    }
  }
}

/**
 * What the provider-failure policy makes of a failed registration: a failure worth retrying is a
 * provider that could not be reached (503: try again); one that would pause the channel means the
 * provider refused these settings (400, and nothing is stored).
 */
function registrationFailure(error: unknown): unknown {
  if (!(error instanceof ProviderError)) return error;
  if (failureAction(error.code, 'channel') === 'retry') {
    return new AppError('PROVIDER_UNAVAILABLE', `The provider did not answer: ${error.message}`);
  }
  return new AppError('REGISTRATION_REJECTED', `The provider refused these settings: ${error.message}`, 'settings');
}
