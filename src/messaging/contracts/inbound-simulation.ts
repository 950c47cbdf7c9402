import { randomBytes } from 'node:crypto';
import type { ChannelContext, InboundRequest } from './channel-context';

/** One customer text message, as a tester describes it (the CLI's `simulate-inbound`). */
export interface SimulatedMessage {
  /** The provider's message id (the deduplication key); generated when absent. */
  id?: string;
  /** The provider's chat id; absent: the customer's own id (a one-to-one chat). */
  chatId?: string;
  from: { id: string; name?: string };
  text: string;
}

/**
 * For push providers: how the provider's own sender would deliver one text message to
 * /webhooks/:channelId, its body shape and its signature made with the channel's secret. The
 * request must pass the provider's own income worker unchanged.
 */
export interface InboundRequestSimulator<TSettings = unknown> {
  simulate(message: SimulatedMessage, channel: ChannelContext<TSettings>): InboundRequest;
}

/**
 * The simulator cannot build the request: the tester's input does not fit the provider (`usage`,
 * e.g. a chat id that cannot be a Telegram chat), or the channel cannot be simulated as it stands.
 */
export class SimulationRefused extends Error {
  constructor(
    readonly reason: 'usage' | 'unsupported',
    message: string,
  ) {
    super(message);
  }
}

/** The bytes are signed and parsed exactly as the webhook controller receives them. */
export function simulatedJsonRequest(
  body: unknown,
  headersFor: (rawBody: Buffer) => Record<string, string>,
): InboundRequest {
  const rawBody = Buffer.from(JSON.stringify(body));
  return {
    headers: { 'content-type': 'application/json', 'user-agent': 'omnichannel-cli', ...headersFor(rawBody) },
    query: {},
    rawBody,
    body: JSON.parse(rawBody.toString('utf8')) as unknown,
  };
}

/** A message id no earlier simulation used. */
export function simulatedMessageId(): string {
  return `cli-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** For providers whose chat is the customer: refuses a chat id other than the sender's. */
export function refuseOtherChat(provider: string, message: SimulatedMessage): void {
  if (message.chatId !== undefined && message.chatId !== message.from.id) {
    throw new SimulationRefused(
      'usage',
      `On ${provider} channels the chat is the customer: omit --chat or give it the --from id`,
    );
  }
}

export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
