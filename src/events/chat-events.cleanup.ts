import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { ChatEvent } from './chat-event.entity';
import { WorkLoops } from '../messaging/work-loops/work-loops.service';

/** Far beyond the replay window: the rows are only kept for replays and for someone debugging a stream. */
export const CHAT_EVENTS_RETENTION_MS = 24 * 60 * 60_000;
const CLEANUP_INTERVAL_MS = 60 * 60_000;

/** Deletes chat events older than {@link CHAT_EVENTS_RETENTION_MS}, hourly; every instance may run it. */
@Injectable()
export class ChatEventsCleanup {
  private readonly logger = new Logger(ChatEventsCleanup.name);

  constructor(
    @InjectRepository(ChatEvent) private readonly chatEvents: Repository<ChatEvent>,
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
      const result = await this.chatEvents.delete({
        createdAt: LessThan(new Date(Date.now() - CHAT_EVENTS_RETENTION_MS)),
      });
      return result.affected ?? 0;
    } catch (error) {
      this.logger.error(`Could not delete expired chat events: ${(error as Error).message}`);
      return 0;
    }
  }
}
