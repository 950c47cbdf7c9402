import { Injectable } from '@nestjs/common';
import { ProviderStateRepository } from '../provider-state/provider-state.repository';

const BUDGET_KEY = 'send.budget';

/**
 * Keeps each channel under its provider's documented send rate (capabilities.maxSendsPerSecond),
 * across all instances: a per-channel counter for the current second, kept in provider_state.
 */
@Injectable()
export class ChannelSendBudget {
  constructor(private readonly budgets: ProviderStateRepository) {}

  /** 0 when the channel may send now (always, without a rate); otherwise how many milliseconds to wait for the next second. */
  async take(channelId: string, perSecond: number | undefined): Promise<number> {
    return perSecond ? this.budgets.takeSendBudget(channelId, BUDGET_KEY, perSecond) : 0;
  }
}
