import { ChannelContext, InboundRequest } from '../messaging/contracts/channel-context';
import { SimulatedMessage, SimulationRefused } from '../messaging/contracts/inbound-simulation';
import { ProviderRegistry } from '../messaging/registry/provider-registry.service';
import { CliFailure } from './cli-output';

/**
 * The signed request the channel's provider would send for `message`, built by the provider's own
 * simulator. CliFailure for providers without one (pull providers take no webhooks) and for input
 * the provider refuses.
 */
export function simulateInboundRequest(
  registry: ProviderRegistry,
  message: SimulatedMessage,
  channel: ChannelContext,
): InboundRequest {
  const { simulator } = registry.get(channel.provider);
  if (!simulator) {
    throw new CliFailure(
      'SIMULATION_UNSUPPORTED',
      `Simulating an inbound message is not supported for ${channel.provider} channels ` +
        `(supported: ${registry.simulatedCodes().join(', ')})`,
    );
  }
  try {
    return simulator.simulate(message, channel);
  } catch (error) {
    if (!(error instanceof SimulationRefused)) throw error;
    throw error.reason === 'usage'
      ? CliFailure.usage(error.message)
      : new CliFailure('SIMULATION_UNSUPPORTED', error.message);
  }
}
