import { Injectable } from '@nestjs/common';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { InboundPoller } from '../../messaging/contracts/provider-workers';
import { InboundEvent, UnifiedMessage } from '../../messaging/contracts/unified-message';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { XAccessTokens } from './x.access-tokens';
import { XClient } from './x.client';
import { compareEventIds, readDmEventsPage } from './x.dm-events';
import { XSettings } from './x.settings.dto';

/** The cursor of an account that had no direct messages at its first poll: every later event is new. */
const BEFORE_ALL_EVENTS = '0';

/**
 * Reads new direct messages with GET /2/dm_events. The cursor is the newest event id seen; a poll
 * pages back (newest first) until it reaches it, and returns everything newer, oldest first. A
 * poll is all or nothing: if a page fails, nothing is returned and the cursor stays, so the next
 * poll reads the same events again. The first poll (no cursor) takes only the newest page: a new
 * channel starts with the conversations under way rather than 30 days of history.
 */
@Injectable()
@MessengerProvider({ code: 'x', role: 'poller' })
export class XInboundPoller implements InboundPoller<XSettings> {
  constructor(
    private readonly client: XClient,
    private readonly tokens: XAccessTokens,
  ) {}

  intervalMs(channel: ChannelContext<XSettings>): number {
    return channel.settings.pollIntervalSeconds * 1000;
  }

  poll(
    channel: ChannelContext<XSettings>,
    cursor: string | null,
  ): Promise<{ events: InboundEvent[]; cursor: string | null }> {
    return this.tokens.authorized(channel, (accessToken) => this.readSince(channel, accessToken, cursor));
  }

  private async readSince(
    channel: ChannelContext<XSettings>,
    accessToken: string,
    cursor: string | null,
  ): Promise<{ events: UnifiedMessage[]; cursor: string }> {
    const found = new Map<string, UnifiedMessage>();
    let newest = cursor ?? BEFORE_ALL_EVENTS;
    let paginationToken: string | undefined;
    do {
      const page = await this.client.listDmEvents(channel.settings, accessToken, paginationToken);
      const reading = readDmEventsPage(page, cursor, channel.source);
      for (const message of reading.messages) found.set(message.externalMessageId, message);
      if (reading.newestId !== null && compareEventIds(reading.newestId, newest) > 0) newest = reading.newestId;
      paginationToken = cursor === null || reading.reachedCursor ? undefined : page.meta?.next_token;
    } while (paginationToken);
    const events = [...found.values()].sort((a, b) => compareEventIds(a.externalMessageId, b.externalMessageId));
    return { events, cursor: newest };
  }
}
