import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { JobRunner } from '../messaging/delivery/job-runner.service';
import { enqueueJobs, JOB_TYPES } from '../messaging/delivery/job-queue';
import { OutboundDispatcher } from '../messaging/delivery/outbound-dispatcher.service';

export interface FailedMessage {
  id: string;
  chatId: string;
  channelId: string;
  error: string | null;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface FailedJob {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  lastError: string | null;
  attempts: number;
  updatedAt: Date;
}

const PAGE_LIMIT = 100;

/** What gave up for good (outgoing messages, background jobs), for an admin to inspect and replay. */
@Injectable()
export class DeadLettersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly dispatcher: OutboundDispatcher,
    private readonly jobs: JobRunner,
  ) {}

  failedMessages(): Promise<FailedMessage[]> {
    return this.dataSource.query<FailedMessage[]>(
      `SELECT id::text, chat_id AS "chatId", channel_id AS "channelId", error, attempts,
              created_at AS "createdAt", updated_at AS "updatedAt"
         FROM messages WHERE direction = 'out' AND status = 'failed' ORDER BY updated_at DESC LIMIT $1`,
      [PAGE_LIMIT],
    );
  }

  /** Queues a failed reply again with a fresh set of attempts. */
  async retryMessage(id: string): Promise<void> {
    const [, retried] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE messages SET status = 'queued', attempts = 0, next_attempt_at = now(), updated_at = now()
        WHERE id = $1 AND direction = 'out' AND status = 'failed'`,
      [id],
    );
    if (retried === 0) throw AppError.notFound('Failed outgoing message', id);
    this.dispatcher.wake();
  }

  failedJobs(): Promise<FailedJob[]> {
    return this.dataSource.query<FailedJob[]>(
      `SELECT id::text, type, payload, last_error AS "lastError", attempts, updated_at AS "updatedAt"
         FROM jobs WHERE status = 'failed' ORDER BY updated_at DESC LIMIT $1`,
      [PAGE_LIMIT],
    );
  }

  async retryJob(id: string): Promise<void> {
    const [, retried] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE jobs SET status = 'pending', attempts = 0, run_at = now(), updated_at = now() WHERE id = $1 AND status = 'failed'`,
      [id],
    );
    if (retried === 0) throw AppError.notFound('Failed job', id);
    this.jobs.wake();
  }

  /** Downloads a failed attachment again; the message never lost its text meanwhile. */
  async retryFile(fileId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [file] = await manager.query<{ channel_id: string }[]>(
        `UPDATE message_files f SET status = 'pending', error = NULL, updated_at = now()
           FROM messages m WHERE f.id = $1 AND f.status = 'failed' AND m.id = f.message_id
         RETURNING m.channel_id`,
        [fileId],
      );
      if (!file) throw AppError.notFound('Failed file', fileId);
      await manager.query(`DELETE FROM jobs WHERE status = 'failed' AND type = $1 AND payload->>'fileId' = $2`, [
        JOB_TYPES.attachmentDownload,
        fileId,
      ]);
      await enqueueJobs(manager, [
        { type: JOB_TYPES.attachmentDownload, payload: { fileId, channelId: file.channel_id } },
      ]);
    });
    this.jobs.wake();
  }
}
