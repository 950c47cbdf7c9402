import { Injectable } from '@nestjs/common';
import { FailedOutgoingMessage, MessageRepository } from '../chats/message.repository';
import { AppError } from '../common/errors/app-error';
import { Transactions } from '../database/transactions';
import { MessageFileRepository } from '../files/message-file.repository';
import { JobRunner } from '../messaging/delivery/job-runner.service';
import { JOB_TYPES } from '../messaging/delivery/job-types';
import { FailedJob, JobRepository } from '../messaging/delivery/job.repository';
import { OutboundDispatcher } from '../messaging/delivery/outbound-dispatcher.service';

export type FailedMessage = FailedOutgoingMessage;
export type { FailedJob };

const PAGE_LIMIT = 100;

/** What gave up for good (outgoing messages, background jobs), for an admin to inspect and replay. */
@Injectable()
export class DeadLettersService {
  constructor(
    private readonly messages: MessageRepository,
    private readonly jobs: JobRepository,
    private readonly files: MessageFileRepository,
    private readonly transactions: Transactions,
    private readonly outbox: OutboundDispatcher,
    private readonly jobRunner: JobRunner,
  ) {}

  failedMessages(): Promise<FailedMessage[]> {
    return this.messages.listFailedOutgoing(PAGE_LIMIT);
  }

  /** Queues a failed reply again with a fresh set of attempts. */
  async retryMessage(id: string): Promise<void> {
    if (!(await this.outbox.retryFailed(id))) throw AppError.notFound('Failed outgoing message', id);
  }

  failedJobs(): Promise<FailedJob[]> {
    return this.jobs.listFailed(PAGE_LIMIT);
  }

  async retryJob(id: string): Promise<void> {
    if (!(await this.jobRunner.retryFailed(id))) throw AppError.notFound('Failed job', id);
  }

  /** Downloads a failed attachment again; the message never lost its text meanwhile. */
  async retryFile(fileId: string): Promise<void> {
    await this.transactions.run(async () => {
      const channelId = await this.files.requeueFailedDownload(fileId);
      if (!channelId) throw AppError.notFound('Failed file', fileId);
      await this.jobs.deleteFailed(JOB_TYPES.attachmentDownload, { fileId });
      await this.jobs.enqueue([{ type: JOB_TYPES.attachmentDownload, payload: { fileId, channelId } }]);
    });
    this.jobRunner.wake();
  }
}
