import { Injectable } from '@nestjs/common';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { OutcomeMessageWorker } from '../../messaging/contracts/provider-workers';
import { OutgoingMessage } from '../../messaging/contracts/unified-message';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { XAccessTokens } from './x.access-tokens';
import { XClient, XMessageTarget } from './x.client';
import { XSettings } from './x.settings.dto';

/** One-to-one conversation ids are `<smaller user id>-<larger user id>`; group ones are a single id. */
const ONE_TO_ONE_CONVERSATION = /^\d+-\d+$/;

/**
 * Sends text direct messages: to the customer (POST /2/dm_conversations/with/:participant_id/messages)
 * in a one-to-one chat, into the conversation itself in a group chat. The DM event id is the external id.
 */
@Injectable()
@MessengerProvider({ code: 'x', role: 'outcome' })
export class XOutcomeWorker implements OutcomeMessageWorker<XSettings> {
  constructor(
    private readonly client: XClient,
    private readonly tokens: XAccessTokens,
  ) {}

  async send(message: OutgoingMessage, channel: ChannelContext<XSettings>): Promise<{ externalId: string | null }> {
    const { text } = message;
    if (!text) throw new ProviderError('PERMANENT', 'X direct messages sent by this service need text');
    const target = targetOf(message);
    const externalId = await this.tokens.authorized(channel, (accessToken) =>
      this.client.sendDirectMessage(channel.settings, accessToken, target, text),
    );
    return { externalId };
  }
}

function targetOf(message: OutgoingMessage): XMessageTarget {
  return ONE_TO_ONE_CONVERSATION.test(message.externalChatId)
    ? { participantId: message.recipientExternalId }
    : { conversationId: message.externalChatId };
}
