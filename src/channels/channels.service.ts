import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { Transactions } from '../database/transactions';
import { ChannelContextLoader } from '../messaging/channel-context/channel-context.loader';
import { ChannelSettingsCodec } from '../messaging/channel-context/channel-settings.codec';
import { ChannelHealth } from '../messaging/channel-health/channel-health.service';
import { ProviderError } from '../messaging/contracts/provider-error';
import { ChannelRegistrar } from '../messaging/message-manager/channel-registrar';
import { MessageManager } from '../messaging/message-manager/message-manager.service';
import { ProviderRegistry } from '../messaging/registry/provider-registry.service';
import { failureAction } from '../messaging/work-queue/provider-failure.policy';
import { QueueRepository } from '../routing/queue.repository';
import { Channel } from './channel.entity';
import { ChannelRepository } from './channel.repository';
import { ChannelView, toChannelView } from './channel.view';
import { RegisterChannelDto, UpdateChannelDto } from './dto/channel.dto';
import { MsgSettingsRepository } from './msg-settings.repository';

export interface ChannelCheckResult {
  ok: boolean;
  error?: { code: string; message: string };
}

/** Admin operations on channels; registration itself is MessageManager.register. */
@Injectable()
export class ChannelsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly channels: ChannelRepository,
    private readonly msgSettings: MsgSettingsRepository,
    private readonly queues: QueueRepository,
    private readonly messageManager: MessageManager,
    private readonly registrar: ChannelRegistrar,
    private readonly contexts: ChannelContextLoader,
    private readonly codec: ChannelSettingsCodec,
    private readonly registry: ProviderRegistry,
    private readonly health: ChannelHealth,
  ) {}

  async register(dto: RegisterChannelDto): Promise<ChannelView> {
    await this.checkQueueExists(dto.queueId);
    const channel = await this.messageManager.register(dto);
    return this.get(channel.id);
  }

  async list(): Promise<ChannelView[]> {
    const channels = await this.channels.listWithSettings();
    return channels.map((channel) => this.view(channel));
  }

  async get(id: string): Promise<ChannelView> {
    return this.view((await this.contexts.load(id)).channel);
  }

  /** New settings are validated and the channel re-registered before anything is saved. */
  async update(id: string, dto: UpdateChannelDto): Promise<ChannelView> {
    const { channel, context } = await this.contexts.load(id);
    await this.checkQueueExists(dto.queueId);
    const name = dto.name ?? channel.name;
    const connection = dto.settings
      ? await this.registrar.connect({ ...channel, name }, { ...(context.settings as object), ...dto.settings })
      : undefined;
    await this.transactions.run(async () => {
      if (connection) {
        await this.msgSettings.replaceSettings(
          channel.msgSettingsId,
          this.codec.encrypt(channel.provider, connection.settings),
        );
      }
      await this.channels.update(id, {
        name,
        ...(dto.queueId !== undefined ? { queueId: dto.queueId } : {}),
        ...(connection ? { source: connection.result.source } : {}),
      });
      if (connection) await this.health.markRegistered(id, connection.result.connected);
      if (dto.active !== undefined) await this.health.setActive(id, dto.active);
    });
    this.contexts.forget(id);
    return this.get(id);
  }

  /** Soft delete: the channel stops receiving and sending; its chats and messages stay readable. */
  async remove(id: string): Promise<void> {
    await this.contexts.load(id);
    await this.channels.softDelete(id);
    this.contexts.forget(id);
  }

  /**
   * Asks the provider whether the stored credentials still work, and records the answer. What a
   * failure means is the provider-failure policy's: one that pauses the channel becomes its `error`
   * (its sending and polling wait); a provider that is merely unreachable leaves the channel
   * disconnected but still trying.
   */
  async check(id: string): Promise<ChannelCheckResult> {
    const { channel, context } = await this.contexts.load(id);
    try {
      await this.registry.get(channel.provider).registration.check(context);
      await this.health.markConnected(id);
      return { ok: true };
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      if (failureAction(error.code, 'channel') === 'retry') await this.health.markUnreachable(id);
      else await this.health.markBroken(id, error.message);
      return { ok: false, error: { code: error.code, message: error.message } };
    }
  }

  private view(channel: Channel): ChannelView {
    const settings = this.codec.redact(channel.provider, channel.msgSettings?.settings ?? {});
    return toChannelView(channel, this.contexts.webhookUrl(channel.id), settings);
  }

  private async checkQueueExists(queueId: string | null | undefined): Promise<void> {
    if (!queueId) return;
    if (!(await this.queues.exists(queueId))) throw AppError.validation('queueId', `Queue ${queueId} does not exist`);
  }
}
