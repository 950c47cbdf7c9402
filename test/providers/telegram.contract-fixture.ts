import { TelegramApiFailure, TelegramFakeApi } from '../fakes/telegram-api';
import { ProviderContractFixture, ProviderFailure, RETRY_AFTER_SECONDS } from '../support/provider-contract';

const TOKEN = '7012345678:AAHcontractTokenForTheProviderSuite_0123';
const CUSTOMER_ID = 424242;

/** The Bot API's own answers, each under the matching HTTP status. */
const FAILURES: Record<ProviderFailure, TelegramApiFailure> = {
  'rate-limited': {
    error_code: 429,
    description: `Too Many Requests: retry after ${RETRY_AFTER_SECONDS}`,
    parameters: { retry_after: RETRY_AFTER_SECONDS },
  },
  unavailable: { error_code: 502, description: 'Bad Gateway' },
  'credentials-refused': { error_code: 401, description: 'Unauthorized' },
};

let updateId = 880_000;

export const contractFixture: ProviderContractFixture<TelegramFakeApi> = {
  code: 'telegram',
  startFake: () => TelegramFakeApi.start(TOKEN),
  settings: (fake) => ({ token: TOKEN, apiBaseUrl: fake.url }),
  inbound: {
    customer: { chatId: '-1001987654321', userId: String(CUSTOMER_ID) },
    // The secret_token registration gave setWebhook, which Telegram echoes on every update.
    signedHeaders: (fake) => ({
      'x-telegram-bot-api-secret-token': String(fake.bodiesOf('setWebhook').at(-1)!.secret_token),
    }),
    message: () => {
      const id = ++updateId;
      const customer = { id: CUSTOMER_ID, is_bot: false, first_name: 'Ada', language_code: 'en' };
      return JSON.stringify({
        update_id: id,
        message: {
          message_id: id,
          from: customer,
          chat: { id: CUSTOMER_ID, first_name: 'Ada', type: 'private' },
          date: Math.floor(Date.now() / 1000),
          text: 'Where is my order?',
        },
      });
    },
  },
  outbound: {
    recipient: { externalChatId: String(CUSTOMER_ID), recipientExternalId: String(CUSTOMER_ID) },
    failNextSend: (fake, failure) => fake.failNext('sendMessage', FAILURES[failure]),
  },
};
