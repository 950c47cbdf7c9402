import { Injectable, Logger } from '@nestjs/common';
import { ChannelRepository } from '../../channels/channel.repository';
import { ChannelContextLoader } from '../channel-context/channel-context.loader';
import { ChannelHealth } from '../channel-health/channel-health.service';
import { ProviderError } from '../contracts/provider-error';
import { MessageManager } from '../message-manager/message-manager.service';
import { ProviderRegistry } from '../registry/provider-registry.service';
import { PROVIDER_BACKOFF } from '../work-queue/backoff-policy';
import { decideFailure } from '../work-queue/provider-failure.policy';
import { WorkLoops } from '../work-loops/work-loops.service';
import { PollState, ProviderStateRepository } from '../provider-state/provider-state.repository';

const TICK_MS = 1_000;

/**
 * Polls the channels of pull providers (X) on their interval. The channel's poll-state row is
 * locked (SKIP LOCKED) for the whole poll, so only one instance polls a channel at a time; the
 * events are committed before the cursor moves, so a crash re-reads a page (and dedupe drops it)
 * rather than skipping one. A failure goes through the provider-failure policy: a passing one is
 * polled again after a backoff, one that says the channel itself is wrong pauses the channel.
 */
@Injectable()
export class ChannelPollingService {
  private readonly logger = new Logger(ChannelPollingService.name);

  constructor(
    private readonly channelRows: ChannelRepository,
    private readonly pollStates: ProviderStateRepository,
    private readonly registry: ProviderRegistry,
    private readonly channels: ChannelContextLoader,
    private readonly health: ChannelHealth,
    private readonly messageManager: MessageManager,
    loops: WorkLoops,
  ) {
    loops.define({
      name: 'polling',
      intervalMs: TICK_MS,
      runOnce: async () => {
        await this.pollDueChannels();
        return 0;
      },
    });
  }

  /** One pass: every active, healthy channel of a pull provider whose interval has passed. */
  async pollDueChannels(): Promise<void> {
    const providers = this.registry.pullCodes();
    if (providers.length === 0) return;
    for (const channelId of await this.channelRows.idsToPoll(providers)) {
      await this.pollStates.whileLocked(channelId, (state) =>
        state.nextAt && Date.parse(state.nextAt) > Date.now()
          ? Promise.resolve(undefined)
          : this.pollOnce(channelId, state),
      );
    }
  }

  private async pollOnce(channelId: string, state: PollState): Promise<PollState> {
    const { channel, context } = await this.channels.load(channelId);
    const poller = this.registry.get(channel.provider).poller!;
    try {
      const { events, cursor } = await poller.poll(context, state.cursor ?? null);
      if (events.length > 0) await this.messageManager.receiveEvents(channel, events);
      return { cursor, nextAt: new Date(Date.now() + poller.intervalMs(context)).toISOString(), failures: 0 };
    } catch (error) {
      return this.afterFailure(channelId, state, ProviderError.from(error));
    }
  }

  /** A paused channel keeps its state: once fixed, it is polled at once. */
  private async afterFailure(channelId: string, state: PollState, failure: ProviderError): Promise<PollState> {
    const failures = (state.failures ?? 0) + 1;
    this.logger.warn(`polling channel ${channelId} failed (${failure.code}): ${failure.message}`);
    const decision = decideFailure(failure, { scope: 'channel', failedAttempts: failures, backoff: PROVIDER_BACKOFF });
    if (decision.action === 'retry') {
      return { ...state, failures, nextAt: new Date(Date.now() + decision.retryInMs).toISOString() };
    }
    await this.health.markBroken(channelId, decision.reason);
    return { ...state, failures };
  }
}
