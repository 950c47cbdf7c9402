import { FakeResponse } from '../support/fake-receiver';
import { FakeWhatsAppApi, graphError, messagesChange, whatsAppWebhook } from '../fakes/whatsapp-api';
import {
  hmacSha256Header,
  ProviderContractFixture,
  ProviderFailure,
  RETRY_AFTER_SECONDS,
} from '../support/provider-contract';

const ACCESS_TOKEN = 'EAAGcontractSystemUserToken0123456789';
const APP_SECRET = 'contract_app_secret_0123456789ab';
const PHONE_NUMBER_ID = '106540352242922';
const CUSTOMER = '48601234567';

/** The Cloud API's answers: throughput limit, service unavailable, a token it repeats and refuses. */
const FAILURES: Record<ProviderFailure, FakeResponse> = {
  'rate-limited': {
    ...graphError(130429, '(#130429) Rate limit hit', { status: 429 }),
    headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
  },
  unavailable: graphError(131016, 'Service unavailable', { status: 503 }),
  'credentials-refused': graphError(190, `Malformed access token ${ACCESS_TOKEN}`, { status: 401 }),
};

let wamid = 0;

function textMessage(text: string) {
  return {
    from: CUSTOMER,
    id: `wamid.contract-${++wamid}`,
    timestamp: String(Math.floor(Date.now() / 1000)),
    type: 'text',
    text: { body: text },
  };
}

function webhookBody(messages: unknown[]): string {
  return JSON.stringify(
    whatsAppWebhook([
      messagesChange(PHONE_NUMBER_ID, {
        contacts: [{ profile: { name: 'Ada Lovelace' }, wa_id: CUSTOMER }],
        messages,
      }),
    ]),
  );
}

export const contractFixture: ProviderContractFixture<FakeWhatsAppApi> = {
  code: 'whatsapp',
  startFake: () =>
    FakeWhatsAppApi.start({
      accessToken: ACCESS_TOKEN,
      phoneNumberId: PHONE_NUMBER_ID,
      displayPhoneNumber: '+1 555-078-3881',
      verifiedName: 'Acme Parcels',
    }),
  settings: (fake) => ({
    accessToken: ACCESS_TOKEN,
    appSecret: APP_SECRET,
    verifyToken: 'contract-verify-token',
    phoneNumberId: PHONE_NUMBER_ID,
    apiBaseUrl: fake.url,
  }),
  inbound: {
    customer: { chatId: CUSTOMER, userId: CUSTOMER },
    signedHeaders: (_fake, rawBody) => ({ 'x-hub-signature-256': hmacSha256Header(rawBody, APP_SECRET) }),
    message: () => webhookBody([textMessage('Where is my parcel?')]),
    batchWithOddEvent: () => ({
      body: webhookBody([
        textMessage('First question'),
        {
          from: CUSTOMER,
          id: `wamid.contract-reaction-${++wamid}`,
          timestamp: String(Math.floor(Date.now() / 1000)),
          type: 'reaction',
          reaction: { message_id: 'wamid.earlier', emoji: '👍' },
        },
        textMessage('Second question'),
      ]),
      newMessages: 2,
    }),
  },
  outbound: {
    recipient: { externalChatId: CUSTOMER, recipientExternalId: CUSTOMER },
    failNextSend: (fake, failure) => fake.queueSendAnswers(FAILURES[failure]),
  },
};
