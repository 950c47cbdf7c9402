import { Injectable, Logger } from '@nestjs/common';
import { WorkLoops } from '../messaging/work-loops/work-loops.service';
import { ChatEventRepository } from './chat-event.repository';

/** Far beyond the replay window: the rows are only kept for replays and for someone debugging a stream. */
export const CHAT_EVENTS_RETENTION_MS = 24 * 60 * 60_000;
const CLEANUP_INTERVAL_MS = 60 * 60_000;

/** Deletes chat events older than {@link CHAT_EVENTS_RETENTION_MS}, hourly; every instance may run it. */
@Injectable()
export class ChatEventsCleanup {
  private readonly logger = new Logger(ChatEventsCleanup.name);

  constructor(
    private readonly chatEvents: ChatEventRepository,
    loops: WorkLoops,
  ) {
    loops.define({
      name: 'chat-events-cleanup',
      intervalMs: CLEANUP_INTERVAL_MS,
      runOnce: async () => {
        await this.deleteExpired();
        return 0;
      },
    });
  }

  /** Deletes the expired events now and returns how many there were. */
  async deleteExpired(): Promise<number> {
    try {
      return await this.chatEvents.deleteOlderThan(CHAT_EVENTS_RETENTION_MS);
    } catch (error) {
      this.logger.error(`Could not delete expired chat events: ${(error as Error).message}`);
      return 0;
    }
  }
}
