import { FacebookFakeApi, GRAPH_ERRORS, GraphFailure, metaJson } from '../fakes/facebook-api';
import {
  hmacSha256Header,
  ProviderContractFixture,
  ProviderFailure,
  RETRY_AFTER_SECONDS,
} from '../support/provider-contract';

const PAGE_TOKEN = 'EAAGcontractPageAccessToken0123456789';
const APP_SECRET = 'contract_app_secret_0123456789ab';
const PSID = '7300000000099001';

/** Graph's answers: throttling and a token Meta cannot parse, which it repeats in its message. */
const FAILURES: Record<ProviderFailure, GraphFailure> = {
  'rate-limited': {
    status: 429,
    headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
    error: { message: '(#613) Calls to this api have exceeded the rate limit.', type: 'OAuthException', code: 613 },
  },
  unavailable: GRAPH_ERRORS.temporary,
  'credentials-refused': {
    status: 401,
    error: { message: `Malformed access token ${PAGE_TOKEN}`, type: 'OAuthException', code: 190 },
  },
};

let mid = 0;

function customerMessage(pageId: string, text: string) {
  return {
    sender: { id: PSID },
    recipient: { id: pageId },
    timestamp: Date.now(),
    message: { mid: `m_contract-${++mid}`, text },
  };
}

function pageBody(pageId: string, messaging: unknown[]): string {
  return metaJson({ object: 'page', entry: [{ id: pageId, time: Date.now(), messaging }] });
}

export const contractFixture: ProviderContractFixture<FacebookFakeApi> = {
  code: 'facebook',
  startFake: async () => {
    const fake = await FacebookFakeApi.start(PAGE_TOKEN);
    fake.addUser(PSID, 'Ada', 'Lovelace');
    return fake;
  },
  settings: (fake) => ({
    pageAccessToken: PAGE_TOKEN,
    appSecret: APP_SECRET,
    verifyToken: 'contract-verify-token',
    apiBaseUrl: fake.url,
  }),
  inbound: {
    customer: { chatId: PSID, userId: PSID },
    signedHeaders: (_fake, rawBody) => ({ 'x-hub-signature-256': hmacSha256Header(rawBody, APP_SECRET) }),
    message: (fake) => pageBody(fake.page.id, [customerMessage(fake.page.id, 'Où est ma commande ?')]),
    batchWithOddEvent: ({ page }) => ({
      body: pageBody(page.id, [
        customerMessage(page.id, 'First question'),
        {
          sender: { id: PSID },
          recipient: { id: page.id },
          timestamp: Date.now(),
          reaction: { mid: 'm_ours', action: 'react', emoji: '❤', reaction: 'love' },
        },
        customerMessage(page.id, 'Second question'),
      ]),
      newMessages: 2,
    }),
  },
  outbound: {
    recipient: { externalChatId: PSID, recipientExternalId: PSID },
    failNextSend: (fake, failure) => fake.failNextSends(FAILURES[failure]),
  },
};
