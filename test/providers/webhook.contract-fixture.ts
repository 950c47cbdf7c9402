import { FakeReceiver, FakeResponse } from '../support/fake-receiver';
import {
  hmacSha256Header,
  ProviderContractFixture,
  ProviderFailure,
  RETRY_AFTER_SECONDS,
} from '../support/provider-contract';

const SECRET = 'contract-shared-secret-0123456789';
const OUTBOUND_PATH = '/outbound';

/** What a custom receiver answers, in its own words. */
const FAILURES: Record<ProviderFailure, FakeResponse> = {
  'rate-limited': {
    status: 429,
    headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
    body: { error: 'slow down' },
  },
  unavailable: { status: 503, body: { error: 'maintenance' } },
  'credentials-refused': { status: 401, body: { error: 'bad signature' } },
};

let messageId = 0;

function inboundMessage(id: string, text: string) {
  return {
    id,
    chatId: 'order-42',
    from: { id: 'cust-7', name: 'Ada Lovelace' },
    text,
    timestamp: '2026-11-21T10:00:00Z',
  };
}

export const contractFixture: ProviderContractFixture<FakeReceiver> = {
  code: 'webhook',
  startFake: async () => {
    const receiver = await FakeReceiver.start();
    receiver.on('POST', OUTBOUND_PATH, () => ({ status: 200, body: { id: `receiver-${++messageId}` } }));
    return receiver;
  },
  settings: (receiver) => ({ url: `${receiver.url}${OUTBOUND_PATH}`, secret: SECRET }),
  inbound: {
    customer: { chatId: 'order-42', userId: 'cust-7' },
    signedHeaders: (_receiver, rawBody) => ({ 'x-signature-256': hmacSha256Header(rawBody, SECRET) }),
    message: () => JSON.stringify({ messages: [inboundMessage(`contract-${++messageId}`, 'Where is my order?')] }),
    // The odd one: a message the sender repeats within the batch.
    batchWithOddEvent: () => {
      const first = inboundMessage(`contract-${++messageId}`, 'First question');
      const second = inboundMessage(`contract-${++messageId}`, 'Second question');
      return { body: JSON.stringify({ messages: [first, first, second] }), newMessages: 2 };
    },
  },
  outbound: {
    recipient: { externalChatId: 'order-42', recipientExternalId: 'cust-7' },
    failNextSend: (receiver, failure) => receiver.queue('POST', OUTBOUND_PATH, FAILURES[failure]),
  },
};
