import { startXProviderStack, X_INITIAL_ACCESS_TOKEN, XProviderStack } from '../../fakes/x-api';
import { OutgoingMessage } from '../../../src/messaging/contracts/unified-message';
import { XOutcomeWorker } from '../../../src/providers/x/x.outcome.worker';

const ANNA = { id: '1456789012345678901', name: 'Anna Kowalska', username: 'anna_k_pl' };
const ONE_TO_ONE = `${ANNA.id}-1587654321098765432`;

function reply(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    id: '5f0e8a1c-2b7d-4c3e-9a6f-1d2e3f4a5b6c',
    externalChatId: ONE_TO_ONE,
    recipientExternalId: ANNA.id,
    text: 'Hi Anna — order 8812 ships tomorrow.',
    attachments: [],
    ...overrides,
  };
}

describe(XOutcomeWorker.name, () => {
  let stack: XProviderStack;
  let sut: XOutcomeWorker;

  beforeEach(async () => {
    stack = await startXProviderStack();
    stack.api.users.set(ANNA.id, ANNA);
    sut = new XOutcomeWorker(stack.client, stack.tokens);
  });

  afterEach(async () => {
    await stack.api.stop();
  });

  it('POSTs {text} to /2/dm_conversations/with/:participant_id/messages and returns the dm_event_id', async () => {
    const { externalId } = await sut.send(reply(), stack.channel());

    const [request] = stack.api.received('POST', `/2/dm_conversations/with/${ANNA.id}/messages`);
    expect(request.json()).toEqual({ text: 'Hi Anna — order 8812 ships tomorrow.' });
    expect(request.headers.authorization).toBe(`Bearer ${X_INITIAL_ACCESS_TOKEN}`);
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    expect(externalId).toBe('1803456789012345678');
  });

  it('posts into the conversation itself in a group chat', async () => {
    await sut.send(reply({ externalChatId: '1580000000000000001' }), stack.channel());

    const [request] = stack.api.received('POST', '/2/dm_conversations/1580000000000000001/messages');
    expect(request.json()).toEqual({ text: 'Hi Anna — order 8812 ships tomorrow.' });
  });

  it('refuses a message without text as PERMANENT, calling nothing', async () => {
    await expect(sut.send(reply({ text: null }), stack.channel())).rejects.toMatchObject({ code: 'PERMANENT' });
    expect(stack.api.requests).toHaveLength(0);
  });

  it("fails a 403 as PERMANENT with X's own detail", async () => {
    await expect(sut.send(reply({ recipientExternalId: '999' }), stack.channel())).rejects.toMatchObject({
      code: 'PERMANENT',
      message: 'HTTP 403: You are not permitted to send a message to this user.',
    });
  });

  it('passes on a 429 as RATE_LIMITED with the wait until x-rate-limit-reset', async () => {
    const resetAt = Math.floor(Date.now() / 1000) + 5;
    stack.api.rateLimitNext('POST', `/2/dm_conversations/with/${ANNA.id}/messages`, resetAt);

    const failure = await sut.send(reply(), stack.channel()).catch((error: unknown) => error);

    expect(failure).toMatchObject({ code: 'RATE_LIMITED' });
    const { retryAfterMs } = failure as { retryAfterMs: number };
    expect(retryAfterMs).toBeGreaterThan(3_000);
    expect(retryAfterMs).toBeLessThanOrEqual(5_000);
  });
});
