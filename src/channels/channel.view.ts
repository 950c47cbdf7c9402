import { Channel } from './channel.entity';

export interface ChannelView {
  id: string;
  name: string;
  provider: string;
  source: string | null;
  queueId: string | null;
  status: { active: boolean; connected: boolean; registered: boolean; error: string | null };
  /** Give this URL to the provider (or the sending system). */
  webhookUrl: string;
  /** The settings with every secret replaced by ********. */
  settings: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export function toChannelView(
  channel: Channel,
  webhookUrl: string,
  redactedSettings: Record<string, unknown>,
): ChannelView {
  return {
    id: channel.id,
    name: channel.name,
    provider: channel.provider,
    source: channel.source,
    queueId: channel.queueId,
    status: {
      active: channel.active,
      connected: channel.connected,
      registered: channel.registered,
      error: channel.error,
    },
    webhookUrl,
    settings: redactedSettings,
    createdAt: channel.createdAt,
    updatedAt: channel.updatedAt,
  };
}
