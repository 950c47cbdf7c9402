import { FakeResponse } from '../support/fake-receiver';
import { FakeXApi, X_ACCOUNT, X_CLIENT_ID, X_INITIAL_ACCESS_TOKEN, X_INITIAL_REFRESH_TOKEN } from '../fakes/x-api';
import { ProviderContractFixture, ProviderFailure, RETRY_AFTER_SECONDS } from '../support/provider-contract';

const CUSTOMER = { id: '1456789012345678901', name: 'Anna Kowalska', username: 'anna_k_pl' };
const SEND_PATH = `/2/dm_conversations/with/${CUSTOMER.id}/messages`;

function problem(status: number, title: string, headers: Record<string, string> = {}): FakeResponse {
  return {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
    body: { title, detail: title, type: 'about:blank', status },
  };
}

/** X's answers; a refused token is refused again after the one refresh the provider tries. */
const FAILURES: Record<ProviderFailure, FakeResponse[]> = {
  'rate-limited': [problem(429, 'Too Many Requests', { 'retry-after': String(RETRY_AFTER_SECONDS) })],
  unavailable: [problem(503, 'Service Unavailable')],
  'credentials-refused': [problem(401, 'Unauthorized'), problem(401, 'Unauthorized')],
};

export const contractFixture: ProviderContractFixture<FakeXApi> = {
  code: 'x',
  startFake: async () => {
    const fake = await FakeXApi.start({
      me: X_ACCOUNT,
      clientId: X_CLIENT_ID,
      accessTokens: [X_INITIAL_ACCESS_TOKEN],
      refreshToken: X_INITIAL_REFRESH_TOKEN,
    });
    fake.users.set(CUSTOMER.id, CUSTOMER);
    return fake;
  },
  settings: (fake) => ({
    clientId: X_CLIENT_ID,
    refreshToken: X_INITIAL_REFRESH_TOKEN,
    accessToken: X_INITIAL_ACCESS_TOKEN,
    apiBaseUrl: fake.url,
  }),
  outbound: {
    recipient: { externalChatId: `${CUSTOMER.id}-${X_ACCOUNT.id}`, recipientExternalId: CUSTOMER.id },
    failNextSend: (fake, failure) => fake.queue('POST', SEND_PATH, ...FAILURES[failure]),
  },
};
