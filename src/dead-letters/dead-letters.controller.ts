import { Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { AdminTokenGuard } from '../common/auth/admin-token.guard';
import { UuidPipe } from '../common/http/uuid.pipe';
import { NumericIdPipe } from '../common/http/numeric-id.pipe';
import { DeadLettersService, FailedJob, FailedMessage } from './dead-letters.service';

/** Dead letters: failed outgoing messages and failed jobs, listed and replayed by an admin. */
@Controller('admin')
@UseGuards(AdminTokenGuard)
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get('dead-letters/messages')
  failedMessages(): Promise<FailedMessage[]> {
    return this.deadLetters.failedMessages();
  }

  @Post('dead-letters/messages/:id/retry')
  @HttpCode(202)
  async retryMessage(@Param('id', new NumericIdPipe('Message')) id: string): Promise<{ queued: true }> {
    await this.deadLetters.retryMessage(id);
    return { queued: true };
  }

  @Get('dead-letters/jobs')
  failedJobs(): Promise<FailedJob[]> {
    return this.deadLetters.failedJobs();
  }

  @Post('dead-letters/jobs/:id/retry')
  @HttpCode(202)
  async retryJob(@Param('id', new NumericIdPipe('Job')) id: string): Promise<{ queued: true }> {
    await this.deadLetters.retryJob(id);
    return { queued: true };
  }

  @Post('files/:id/retry')
  @HttpCode(202)
  async retryFile(@Param('id', new UuidPipe('File')) id: string): Promise<{ queued: true }> {
    await this.deadLetters.retryFile(id);
    return { queued: true };
  }
}
