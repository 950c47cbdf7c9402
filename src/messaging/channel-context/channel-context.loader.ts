import { Injectable } from '@nestjs/common';
import { Channel } from '../../channels/channel.entity';
import { ChannelRepository } from '../../channels/channel.repository';
import { AppConfig } from '../../config/app-config';
import { AppError } from '../../common/errors/app-error';
import { ChannelContext } from '../contracts/channel-context';
import { ChannelSettingsCodec } from './channel-settings.codec';

export interface LoadedChannel {
  channel: Channel;
  context: ChannelContext;
}

/**
 * How long a channel read for traffic (webhooks, sends) is reused: settings changed on another
 * instance apply within this time; on this instance at once.
 */
const TRAFFIC_CACHE_MS = 5_000;

/** Loads a channel with its decrypted settings, the shape every provider worker receives. */
@Injectable()
export class ChannelContextLoader {
  private readonly trafficCache = new Map<string, { loaded: LoadedChannel; expiresAt: number }>();

  constructor(
    private readonly channels: ChannelRepository,
    private readonly codec: ChannelSettingsCodec,
    private readonly config: AppConfig,
  ) {}

  /** AppError NOT_FOUND when the channel does not exist or was deleted. */
  async load(channelId: string): Promise<LoadedChannel> {
    const channel = await this.channels.findWithSettings(channelId);
    if (!channel?.msgSettings) throw AppError.notFound('Channel', channelId);
    return {
      channel,
      context: this.contextOf(channel, this.codec.decrypt(channel.provider, channel.msgSettings.settings)),
    };
  }

  /** The same, reused for a few seconds: the webhook and the dispatcher need no query per message. */
  async loadForTraffic(channelId: string): Promise<LoadedChannel> {
    const cached = this.trafficCache.get(channelId);
    if (cached && cached.expiresAt > Date.now()) return cached.loaded;
    const loaded = await this.load(channelId);
    this.trafficCache.set(channelId, { loaded, expiresAt: Date.now() + TRAFFIC_CACHE_MS });
    return loaded;
  }

  /** Drops the cached copy after the channel changed here. */
  forget(channelId: string): void {
    this.trafficCache.delete(channelId);
  }

  contextOf(
    channel: Pick<Channel, 'id' | 'name' | 'provider' | 'source'>,
    settings: Record<string, unknown>,
  ): ChannelContext {
    return {
      id: channel.id,
      name: channel.name,
      provider: channel.provider,
      source: channel.source,
      settings,
      webhookUrl: this.webhookUrl(channel.id),
    };
  }

  webhookUrl(channelId: string): string {
    return `${this.config.publicUrl}/webhooks/${channelId}`;
  }
}
