import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ChannelContextLoader } from '../channel-context/channel-context.loader';
import { ProviderError } from '../contracts/provider-error';
import { retryDelayMs } from '../delivery/retry-backoff';
import { WorkLoops } from '../work-loops/work-loops.service';
import { MessageManager } from '../message-manager/message-manager.service';
import { ProviderRegistry } from '../registry/provider-registry.service';

const POLL_STATE_KEY = 'poll';
const TICK_MS = 1_000;

interface PollState {
  cursor?: string | null;
  /** ISO time before which the channel is not polled again. */
  nextAt?: string;
  failures?: number;
}

/**
 * Polls the channels of pull providers (X) on their interval. The channel's poll-state row is
 * locked (SKIP LOCKED) for the whole poll, so only one instance polls a channel at a time; the
 * events are committed before the cursor moves, so a crash re-reads a page (and dedupe drops it)
 * rather than skipping one.
 */
@Injectable()
export class ChannelPollingService {
  private readonly logger = new Logger(ChannelPollingService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: ProviderRegistry,
    private readonly channels: ChannelContextLoader,
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
    if (this.registry.pullCodes().length === 0) return;
    const channels = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM channels WHERE provider = ANY($1) AND active AND deleted_at IS NULL AND error IS NULL`,
      [this.registry.pullCodes()],
    );
    for (const { id } of channels) await this.pollChannel(id);
  }

  private async pollChannel(channelId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO provider_state (channel_id, key, value) VALUES ($1, $2, '{}') ON CONFLICT DO NOTHING`,
      [channelId, POLL_STATE_KEY],
    );
    await this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<{ value: PollState }[]>(
        `SELECT value FROM provider_state WHERE channel_id = $1 AND key = $2 FOR UPDATE SKIP LOCKED`,
        [channelId, POLL_STATE_KEY],
      );
      if (!row || (row.value.nextAt && Date.parse(row.value.nextAt) > Date.now())) return;
      await this.saveState(manager, channelId, await this.pollOnce(channelId, row.value));
    });
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

  private async afterFailure(channelId: string, state: PollState, error: ProviderError): Promise<PollState> {
    const failures = (state.failures ?? 0) + 1;
    this.logger.warn(`polling channel ${channelId} failed (${error.code}): ${error.message}`);
    if (error.code === 'AUTH_FAILED') {
      await this.dataSource.query(`UPDATE channels SET error = $2, connected = false WHERE id = $1`, [
        channelId,
        error.message,
      ]);
    }
    const delay = error.retryAfterMs ?? retryDelayMs(failures);
    return { ...state, failures, nextAt: new Date(Date.now() + delay).toISOString() };
  }

  private async saveState(manager: EntityManager, channelId: string, state: PollState): Promise<void> {
    await manager.query(
      `UPDATE provider_state SET value = $3::jsonb, updated_at = now() WHERE channel_id = $1 AND key = $2`,
      [channelId, POLL_STATE_KEY, JSON.stringify(state)],
    );
  }
}
