import { randomBytes } from 'node:crypto';
import { ChannelContext, InboundRequest } from '../messaging/contracts/channel-context';
import { hmacSha256Signature } from '../common/crypto/hmac-signature';
import { FacebookSettings } from '../providers/facebook/facebook.settings.dto';
import { SECRET_TOKEN_HEADER } from '../providers/telegram/telegram.income.worker';
import { TelegramSettings } from '../providers/telegram/telegram.settings.dto';
import { TestSettings } from '../providers/test/test.settings.dto';
import {
  signBody as signWebhookBody,
  SIGNATURE_HEADER as WEBHOOK_SIGNATURE_HEADER,
} from '../providers/webhook/webhook.signature';
import { WebhookSettings } from '../providers/webhook/webhook.settings.dto';
import { HUB_SIGNATURE_HEADER } from '../providers/kits/meta-graph/graph-webhook';
import { WhatsAppSettings } from '../providers/whatsapp/whatsapp.settings.dto';
import { CliFailure } from './cli-output';

/** One customer text message, as the tester describes it. */
export interface SimulatedMessage {
  /** The provider's message id (the deduplication key); generated when absent. */
  id?: string;
  /** The provider's chat id; absent: the customer's own id (a one-to-one chat). */
  chatId?: string;
  from: { id: string; name?: string };
  text: string;
}

type RequestBuilder = (message: SimulatedMessage, channel: ChannelContext) => InboundRequest;

/**
 * How each provider's own sender would deliver one text message to /webhooks/:channelId: its
 * body shape, and its signature made with the channel's decrypted secret. These are a tester's
 * copies of the senders' formats, so each is checked against the provider's real income worker
 * in inbound-request.simulator.spec.ts. Pull providers (X) take no webhooks: nothing to simulate.
 */
const BUILDERS: Record<string, RequestBuilder> = {
  test: (message, channel) => {
    const { token } = channel.settings as TestSettings;
    return jsonRequest(
      {
        id: message.id ?? generatedId(),
        chatId: message.chatId ?? message.from.id,
        userId: message.from.id,
        ...(message.from.name ? { userName: message.from.name } : {}),
        text: message.text,
      },
      () => ({ 'x-test-token': token }),
    );
  },

  webhook: (message, channel) => {
    const { secret } = channel.settings as WebhookSettings;
    return jsonRequest(
      {
        messages: [
          {
            id: message.id ?? generatedId(),
            chatId: message.chatId ?? message.from.id,
            from: { id: message.from.id, ...(message.from.name ? { name: message.from.name } : {}) },
            text: message.text,
            timestamp: new Date().toISOString(),
          },
        ],
      },
      (rawBody) => ({ [WEBHOOK_SIGNATURE_HEADER]: signWebhookBody(rawBody, secret) }),
    );
  },

  telegram: (message, channel) => {
    const { webhookSecretToken } = channel.settings as TelegramSettings;
    if (!webhookSecretToken) {
      throw new CliFailure(
        'SIMULATION_UNSUPPORTED',
        'This Telegram channel has no webhookSecretToken yet; register it again',
      );
    }
    const chatId = telegramNumber(message.chatId ?? message.from.id, '--chat');
    const userId = telegramNumber(message.from.id, '--from');
    const messageId = message.id === undefined ? Date.now() % 2_000_000_000 : telegramNumber(message.id, '--id');
    return jsonRequest(
      {
        update_id: messageId,
        message: {
          message_id: messageId,
          from: { id: userId, is_bot: false, first_name: message.from.name ?? `User ${userId}` },
          chat:
            chatId < 0
              ? { id: chatId, type: 'group', title: `Group ${chatId}` }
              : { id: chatId, type: 'private', first_name: message.from.name ?? `User ${userId}` },
          date: unixSeconds(),
          text: message.text,
        },
      },
      () => ({ [SECRET_TOKEN_HEADER]: webhookSecretToken }),
    );
  },

  facebook: (message, channel) => {
    oneToOneOnly('facebook', message);
    const { appSecret } = channel.settings as FacebookSettings;
    const pageId = channel.source ?? '0';
    return jsonRequest(
      {
        object: 'page',
        entry: [
          {
            id: pageId,
            time: Date.now(),
            messaging: [
              {
                sender: { id: message.from.id },
                recipient: { id: pageId },
                timestamp: Date.now(),
                message: { mid: message.id ?? `m_${generatedId()}`, text: message.text },
              },
            ],
          },
        ],
      },
      (rawBody) => ({ [HUB_SIGNATURE_HEADER]: hmacSha256Signature(rawBody, appSecret) }),
    );
  },

  whatsapp: (message, channel) => {
    oneToOneOnly('whatsapp', message);
    const { appSecret, phoneNumberId } = channel.settings as WhatsAppSettings;
    return jsonRequest(
      {
        object: 'whatsapp_business_account',
        entry: [
          {
            id: channel.source ?? phoneNumberId,
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: phoneNumberId, phone_number_id: phoneNumberId },
                  contacts: [{ profile: { name: message.from.name ?? message.from.id }, wa_id: message.from.id }],
                  messages: [
                    {
                      from: message.from.id,
                      id: message.id ?? `wamid.${generatedId()}`,
                      timestamp: String(unixSeconds()),
                      type: 'text',
                      text: { body: message.text },
                    },
                  ],
                },
              },
            ],
          },
        ],
      },
      (rawBody) => ({ [HUB_SIGNATURE_HEADER]: hmacSha256Signature(rawBody, appSecret) }),
    );
  },
};

export const SIMULATED_PROVIDERS = Object.keys(BUILDERS).sort();

/** The signed request the channel's provider would send for `message`; CliFailure for providers it cannot simulate. */
export function simulateInboundRequest(message: SimulatedMessage, channel: ChannelContext): InboundRequest {
  const build = BUILDERS[channel.provider];
  if (!build) {
    throw new CliFailure(
      'SIMULATION_UNSUPPORTED',
      `Simulating an inbound message is not supported for ${channel.provider} channels ` +
        `(supported: ${SIMULATED_PROVIDERS.join(', ')})`,
    );
  }
  return build(message, channel);
}

/** The bytes are signed and parsed exactly as the webhook controller receives them. */
function jsonRequest(body: unknown, headersFor: (rawBody: Buffer) => Record<string, string>): InboundRequest {
  const rawBody = Buffer.from(JSON.stringify(body));
  return {
    headers: { 'content-type': 'application/json', 'user-agent': 'omnichannel-cli', ...headersFor(rawBody) },
    query: {},
    rawBody,
    body: JSON.parse(rawBody.toString('utf8')) as unknown,
  };
}

function oneToOneOnly(provider: string, message: SimulatedMessage): void {
  if (message.chatId !== undefined && message.chatId !== message.from.id) {
    throw CliFailure.usage(`On ${provider} channels the chat is the customer: omit --chat or give it the --from id`);
  }
}

function telegramNumber(value: string, option: string): number {
  if (!/^-?\d{1,15}$/.test(value)) throw CliFailure.usage(`On telegram channels ${option} must be a number`);
  return Number(value);
}

function generatedId(): string {
  return `cli-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
