import { startXProviderStack, XProviderStack } from '../../fakes/x-api';
import { UnifiedMessage } from '../../../src/messaging/contracts/unified-message';
import { XInboundPoller } from '../../../src/providers/x/x.poller';

const ANNA = { id: '1456789012345678901', name: 'Anna Kowalska', username: 'anna_k_pl' };
const BEN = { id: '1234567890', name: 'Ben Okafor', username: 'benok' };

describe(XInboundPoller.name, () => {
  let stack: XProviderStack;
  let sut: XInboundPoller;

  beforeEach(async () => {
    stack = await startXProviderStack();
    sut = new XInboundPoller(stack.client, stack.tokens);
  });

  afterEach(async () => {
    await stack.api.stop();
  });

  const channel = () => stack.channel({ pageSize: 2 });
  const texts = (events: unknown[]) => (events as UnifiedMessage[]).map((event) => event.text);
  const pageRequests = () => stack.api.received('GET', '/2/dm_events');

  it('asks GET /2/dm_events for exactly the documented fields, expansions and page size', async () => {
    await sut.poll(channel(), null);

    const [request] = pageRequests();
    expect(Object.fromEntries(request.query)).toEqual({
      'dm_event.fields': 'id,text,event_type,dm_conversation_id,created_at,sender_id,attachments,participant_ids',
      event_types: 'MessageCreate',
      expansions: 'sender_id,attachments.media_keys',
      'user.fields': 'name,username,profile_image_url',
      'media.fields': 'url,type,media_key',
      max_results: '2',
    });
    expect(request.headers.authorization).toBe('Bearer x-initial-access-token-QUNDRVNTLTA');
  });

  it('on the first poll takes only the newest page, oldest first, and returns the newest id as cursor', async () => {
    stack.api.customerWrites(ANNA, 'one');
    stack.api.customerWrites(ANNA, 'two');
    stack.api.customerWrites(BEN, 'three');

    const { events, cursor } = await sut.poll(channel(), null);

    expect(texts(events)).toEqual(['two', 'three']);
    expect(cursor).toBe((events[1] as UnifiedMessage).externalMessageId);
    expect(pageRequests()).toHaveLength(1);
  });

  it('pages back to the cursor and returns every newer message once, oldest first', async () => {
    stack.api.customerWrites(ANNA, 'seen');
    const first = await sut.poll(channel(), null);
    stack.api.customerWrites(ANNA, 'a');
    stack.api.customerWrites(BEN, 'b');
    stack.api.customerWrites(ANNA, 'c');
    stack.api.customerWrites(BEN, 'd');
    stack.api.customerWrites(ANNA, 'e');

    const { events, cursor } = await sut.poll(channel(), first.cursor);

    expect(texts(events)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(cursor).toBe((events[4] as UnifiedMessage).externalMessageId);
    const requests = pageRequests().slice(1);
    expect(requests.map((request) => request.query.has('pagination_token'))).toEqual([false, true, true]);
    expect(requests[1].query.get('pagination_token')).toBeTruthy();
  });

  it('returns nothing and keeps the cursor when nothing is new, after one request', async () => {
    stack.api.customerWrites(ANNA, 'seen');
    const first = await sut.poll(channel(), null);

    const again = await sut.poll(channel(), first.cursor);

    expect(again).toEqual({ events: [], cursor: first.cursor });
    expect(pageRequests()).toHaveLength(2);
  });

  it('skips the account’s own messages but moves the cursor past them', async () => {
    stack.api.customerWrites(ANNA, 'question');
    const first = await sut.poll(channel(), null);
    await stack.client.sendDirectMessage(
      channel().settings,
      'x-initial-access-token-QUNDRVNTLTA',
      { participantId: ANNA.id },
      'answer',
    );

    const { events, cursor } = await sut.poll(channel(), first.cursor);

    expect(events).toEqual([]);
    expect(BigInt(cursor!)).toBeGreaterThan(BigInt(first.cursor!));
  });

  it('fails the whole poll when an older page fails, so the next poll reads everything again', async () => {
    stack.api.customerWrites(ANNA, 'seen');
    const first = await sut.poll(channel(), null);
    for (const text of ['a', 'b', 'c']) stack.api.customerWrites(ANNA, text);
    stack.api.olderPagesAnswer = {
      status: 503,
      body: { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 },
    };

    await expect(sut.poll(channel(), first.cursor)).rejects.toMatchObject({ code: 'TEMPORARY' });

    stack.api.olderPagesAnswer = undefined;
    expect(texts((await sut.poll(channel(), first.cursor)).events)).toEqual(['a', 'b', 'c']);
  });

  it('after a first poll of an empty account, takes every later message, across pages', async () => {
    const first = await sut.poll(channel(), null);
    expect(first).toEqual({ events: [], cursor: '0' });
    for (const text of ['a', 'b', 'c']) stack.api.customerWrites(ANNA, text);

    expect(texts((await sut.poll(channel(), first.cursor)).events)).toEqual(['a', 'b', 'c']);
  });

  it('refreshes the token and reads again from the first page when X answers 401', async () => {
    stack.api.customerWrites(ANNA, 'hello');
    stack.api.expireAccessTokens();

    const { events } = await sut.poll(channel(), null);

    expect(texts(events)).toEqual(['hello']);
    expect(stack.api.received('POST', '/2/oauth2/token')).toHaveLength(1);
  });

  it('passes on a 429 as RATE_LIMITED until x-rate-limit-reset', async () => {
    const resetAt = Math.floor(Date.now() / 1000) + 60;
    stack.api.rateLimitNext('GET', '/2/dm_events', resetAt);

    const failure = await sut.poll(channel(), null).catch((error: unknown) => error);

    expect(failure).toMatchObject({ code: 'RATE_LIMITED', message: 'HTTP 429: Too Many Requests' });
    const { retryAfterMs } = failure as { retryAfterMs: number };
    expect(retryAfterMs).toBeGreaterThan(58_000);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('polls on the interval the settings give', () => {
    expect(sut.intervalMs(stack.channel({ pollIntervalSeconds: 45 }))).toBe(45_000);
  });
});
