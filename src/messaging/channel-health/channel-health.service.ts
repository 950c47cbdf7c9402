import { Injectable } from '@nestjs/common';
import { ChannelRepository } from '../../channels/channel.repository';

/**
 * The one writer of a channel's status flags: `active` (an admin's switch), `registered` (the
 * provider took its settings), `connected` (the provider answered) and `error` (why the channel is
 * paused: its replies, polls and jobs wait until the error is cleared). Each call joins the
 * transaction in progress, if any.
 */
@Injectable()
export class ChannelHealth {
  constructor(private readonly channels: ChannelRepository) {}

  /** The provider refuses the channel (credentials revoked, settings it will not take): pause it, saying why. */
  markBroken(channelId: string, reason: string): Promise<void> {
    return this.channels.markBroken(channelId, reason);
  }

  /** The provider could not be reached: not connected, but not paused either (it may come back by itself). */
  markUnreachable(channelId: string): Promise<void> {
    return this.channels.markDisconnected(channelId);
  }

  /** The provider took the channel's credentials: connected, and whatever paused it is cleared. */
  markConnected(channelId: string): Promise<void> {
    return this.channels.markConnected(channelId);
  }

  /** The provider took new settings: registered, connected as it says, and no longer paused. */
  markRegistered(channelId: string, connected: boolean): Promise<void> {
    return this.channels.markRegistered(channelId, connected);
  }

  /** An admin switches the channel on or off; off, nothing is received, sent or polled. */
  setActive(channelId: string, active: boolean): Promise<void> {
    return this.channels.setActive(channelId, active);
  }
}
