import type { MessageStatus } from '../chats/message.entity';
import { MessageRepository } from '../chats/message.repository';
import { CliApplication } from './cli-application';
import { CliOutput, EXIT, ExitCode } from './cli-output';

/** Where an outgoing message stands when the CLI stops waiting. */
export interface DeliveryOutcome {
  messageId: string;
  chatId: string;
  /** sent: the provider took it; failed: given up; waiting: still queued (the service keeps trying). */
  outcome: 'sent' | 'failed' | 'waiting';
  status: MessageStatus;
  attempts: number;
  providerMessageId: string | null;
  /** Why it failed or why it is still waiting. */
  reason: string | null;
}

const POLL_MS = 100;
const DONE: MessageStatus[] = ['sent', 'delivered', 'read'];

/**
 * Watches one outgoing message until the dispatcher settles it, or until nothing will change soon:
 * a channel in error or switched off holds its replies back, so waiting longer would not help.
 */
export async function waitForDelivery(
  messages: MessageRepository,
  messageId: string,
  timeoutMs: number,
  interrupted: AbortSignal,
): Promise<DeliveryOutcome> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = (await messages.deliveryState(messageId))!;
    const outcome = (result: DeliveryOutcome['outcome'], reason: string | null): DeliveryOutcome => ({
      messageId,
      chatId: state.chatId,
      outcome: result,
      status: state.status,
      attempts: state.attempts,
      providerMessageId: state.providerMessageId,
      reason,
    });
    if (DONE.includes(state.status)) return outcome('sent', null);
    if (state.status === 'failed') return outcome('failed', state.error ?? 'no reason recorded');
    if (state.status === 'queued' && state.channelError) {
      return outcome(
        'waiting',
        `channel "${state.channelName}" is in error (${state.channelError}); the message stays queued until its settings are fixed`,
      );
    }
    if (!state.channelUsable) {
      return outcome('waiting', `channel "${state.channelName}" is switched off; the message stays queued`);
    }
    if (interrupted.aborted || Date.now() >= deadline) {
      const why = interrupted.aborted ? 'interrupted' : `not settled within ${Math.round(timeoutMs / 1000)} s`;
      const lastError = state.error ? ` (attempt ${state.attempts}: ${state.error})` : '';
      return outcome('waiting', `${why}${lastError}; the message stays ${state.status} and the service keeps trying`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Waits for the dispatcher to settle the message and prints the outcome; exit 1 unless sent.
 * Ctrl-C stops the wait, not the delivery in flight: the application closes after it.
 */
export async function reportDelivery(
  app: CliApplication,
  out: CliOutput,
  messageId: string,
  timeoutSeconds: number,
): Promise<ExitCode> {
  const interrupt = new AbortController();
  const onInterrupt = () => interrupt.abort();
  process.once('SIGINT', onInterrupt);
  try {
    const outcome = await waitForDelivery(
      app.get(MessageRepository),
      messageId,
      timeoutSeconds * 1000,
      interrupt.signal,
    );
    out.result(outcome, (result) => [describeOutcome(result)]);
    return outcome.outcome === 'sent' ? EXIT.ok : EXIT.failed;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

function describeOutcome({ outcome, messageId, chatId, providerMessageId, reason }: DeliveryOutcome): string {
  switch (outcome) {
    case 'sent':
      return `sent: message ${messageId} in chat ${chatId}${providerMessageId ? ` (provider message id ${providerMessageId})` : ''}`;
    case 'failed':
      return `failed: message ${messageId} in chat ${chatId}: ${reason}`;
    case 'waiting':
      return `not sent yet: message ${messageId} in chat ${chatId}: ${reason}`;
  }
}
