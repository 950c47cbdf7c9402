import { NO_FAKE, ProviderContractFixture } from '../support/provider-contract';

const TOKEN = 'contract-sandbox-token';

let messageId = 0;

/** The sandbox provider speaks no HTTP: no fake, and no API failures to classify. */
export const contractFixture: ProviderContractFixture = {
  code: 'test',
  startFake: async () => NO_FAKE,
  settings: () => ({ token: TOKEN }),
  inbound: {
    customer: { chatId: 'c-1', userId: 'u-1' },
    signedHeaders: () => ({ 'x-test-token': TOKEN }),
    message: () =>
      JSON.stringify({ id: `contract-${++messageId}`, chatId: 'c-1', userId: 'u-1', text: 'Where is my order?' }),
  },
  outbound: { recipient: { externalChatId: 'c-1', recipientExternalId: 'u-1' } },
};
