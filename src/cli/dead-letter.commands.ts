import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { DeadLettersService, FailedJob, FailedMessage } from '../dead-letters/dead-letters.service';
import { OutboundDispatcher } from '../messaging/delivery/outbound-dispatcher.service';
import { EXIT, table, timestamp } from './cli-output';
import { parse, runWithApplication } from './cli-command';
import { reportDelivery } from './delivery-outcome.waiter';

const RETRY_KINDS = ['message', 'job', 'file'] as const;
type RetryKind = (typeof RETRY_KINDS)[number];

/** `dead-letters` and `retry`: what gave up for good, and replaying it. */
export function registerDeadLetterCommands(program: Command): void {
  program
    .command('dead-letters')
    .description('list failed outgoing messages and failed background jobs (newest first, at most 100 each)')
    .action((_options: object, command: Command) =>
      runWithApplication(command, async ({ app, out }) => {
        const deadLetters = app.get(DeadLettersService);
        const [messages, jobs] = await Promise.all([deadLetters.failedMessages(), deadLetters.failedJobs()]);
        out.result({ messages, jobs }, () => [...describeMessages(messages), '', ...describeJobs(jobs)]);
        return EXIT.ok;
      }),
    );

  program
    .command('retry')
    .description(
      'replay a dead letter: a failed outgoing message (then wait for its outcome), a failed job, or a failed attachment download',
    )
    .addArgument(new Argument('<kind>', 'what to replay').choices(RETRY_KINDS))
    .argument('<id>', 'the message or job number, or the file id')
    .addOption(
      new Option('--timeout <seconds>', 'for a message: how long to wait for the outcome')
        .default(30)
        .argParser(parse.integer(1, 3600)),
    )
    .action((kind: RetryKind, id: string, options: { timeout: number }, command: Command) => {
      const checkedId = checkId(command, kind, id);
      return runWithApplication(
        command,
        async ({ app, out }) => {
          const deadLetters = app.get(DeadLettersService);
          switch (kind) {
            case 'message':
              await deadLetters.retryMessage(checkedId);
              out.note(`message ${checkedId} queued again; waiting for the outcome (up to ${options.timeout} s)`);
              return reportDelivery(app, out, checkedId, options.timeout);
            case 'job':
              await deadLetters.retryJob(checkedId);
              out.result({ kind, id: checkedId, queued: true }, () => [`job ${checkedId} queued again`]);
              return EXIT.ok;
            case 'file':
              await deadLetters.retryFile(checkedId);
              out.result({ kind, id: checkedId, queued: true }, () => [`file ${checkedId} queued for download again`]);
              return EXIT.ok;
          }
        },
        kind === 'message' ? [OutboundDispatcher.LOOP] : [],
      );
    });
}

/** Which id format applies depends on the kind, so it is checked here rather than by an argument parser. */
function checkId(command: Command, kind: RetryKind, id: string): string {
  try {
    return kind === 'file' ? parse.uuid('The file id')(id) : parse.numericId(`The ${kind} id`)(id);
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    command.error(`error: command-argument value '${id}' is invalid for argument 'id'. ${error.message}`, {
      code: error.code,
    });
  }
}

function describeMessages(messages: FailedMessage[]): string[] {
  if (messages.length === 0) return ['failed outgoing messages: none'];
  return [
    `failed outgoing messages (${messages.length}):`,
    ...table([
      ['id', 'failed at (UTC)', 'chat', 'attempts', 'error'],
      ...messages.map((message) => [
        message.id,
        timestamp(message.updatedAt),
        message.chatId,
        String(message.attempts),
        message.error ?? '',
      ]),
    ]).map((line) => `  ${line}`),
  ];
}

function describeJobs(jobs: FailedJob[]): string[] {
  if (jobs.length === 0) return ['failed jobs: none'];
  return [
    `failed jobs (${jobs.length}):`,
    ...table([
      ['id', 'failed at (UTC)', 'type', 'attempts', 'error'],
      ...jobs.map((job) => [job.id, timestamp(job.updatedAt), job.type, String(job.attempts), job.lastError ?? '']),
    ]).map((line) => `  ${line}`),
  ];
}
