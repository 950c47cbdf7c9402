import request from 'supertest';
import { Transactions } from '../src/database/transactions';
import { ChatEventRepository } from '../src/events/chat-event.repository';
import { ChatEventsCleanup } from '../src/events/chat-events.cleanup';
import { ChatEventPayloads, ChatScopedEventType } from '../src/messaging/events/chat-event-catalogue';
import { hashOperatorToken } from '../src/operators/operator-token';
import { eventually } from './support/eventually';
import { ADMIN_TOKEN, startTestApp, TestApp } from './support/test-app';

const CHANNEL_TOKEN = 'test-token-123';
/** The promise of the issue: a change reaches every instance's streams within a second. */
const DELIVERY_DEADLINE_MS = 1_000;

interface SseFrame {
  id?: string;
  event?: string;
  data?: any;
  receivedAt: number;
}

/** A client of GET /events reading the raw stream with fetch, as a browser's EventSource would. */
class SseClient {
  /** Event frames not yet taken with next(); comments (heartbeats) are left out. */
  readonly frames: SseFrame[] = [];
  ended = false;
  private buffer = '';

  private constructor(
    readonly response: Response,
    private readonly aborter: AbortController,
  ) {}

  static async open(
    baseUrl: string,
    token: string | undefined,
    query = '',
    headers: Record<string, string> = {},
  ): Promise<SseClient> {
    const aborter = new AbortController();
    const response = await fetch(`${baseUrl}/events${query}`, {
      headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      signal: aborter.signal,
    });
    const client = new SseClient(response, aborter);
    if (response.ok) void client.read();
    else await response.text();
    return client;
  }

  /** Takes the next event frame, waiting for it up to `timeoutMs`. */
  async next(timeoutMs = 5_000): Promise<SseFrame> {
    return eventually(async () => this.frames.shift(), timeoutMs);
  }

  close(): void {
    this.aborter.abort();
  }

  private async read(): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of this.response.body!) {
        this.buffer += decoder.decode(chunk, { stream: true });
        this.takeCompleteFrames();
      }
    } catch {
      // Aborted by close().
    }
    this.ended = true;
  }

  private takeCompleteFrames(): void {
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const frame = parseFrame(this.buffer.slice(0, end));
      this.buffer = this.buffer.slice(end + 2);
      if (frame) this.frames.push(frame);
    }
  }
}

function parseFrame(text: string): SseFrame | undefined {
  const frame: SseFrame = { receivedAt: Date.now() };
  const data: string[] = [];
  for (const line of text.split('\n')) {
    const [, field, value] = /^([^:]*): ?(.*)$/.exec(line) ?? [];
    if (field === 'id') frame.id = value;
    else if (field === 'event') frame.event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0 && frame.event === undefined) return undefined;
  frame.data = JSON.parse(data.join('\n'));
  return frame;
}

describe('GET /events: live chat events for operators, across instances', () => {
  let sutA: TestApp;
  let instanceB: TestApp;
  const member = { id: '', token: 'op-member-token-0123456789' };
  const outsider = { id: '', token: 'op-outsider-token-0123456789' };
  let memberQueueId: string;
  let memberChatId: string;
  let outsiderChatId: string;
  const openStreams: SseClient[] = [];

  const openStream = async (
    instance: { baseUrl: string },
    token: string,
    query = '',
    headers: Record<string, string> = {},
  ) => {
    const stream = await SseClient.open(instance.baseUrl, token, query, headers);
    expect(stream.response.status).toBe(200);
    openStreams.push(stream);
    return stream;
  };

  const createOperator = async (operator: { id: string; token: string }, name: string) => {
    const { rows } = await sutA.db.query(
      `INSERT INTO operators (name, email, status, max_active_chats, token_hash) VALUES ($1, $2, 'online', 5, $3) RETURNING id`,
      [name, `${name}@example.com`, hashOperatorToken(operator.token)],
    );
    operator.id = rows[0].id;
  };

  const createQueue = async (name: string, memberId: string): Promise<string> => {
    const { rows } = await sutA.db.query(`INSERT INTO queues (name, routing_rule) VALUES ($1, 'manual') RETURNING id`, [
      name,
    ]);
    await sutA.db.query(`INSERT INTO queue_members (queue_id, operator_id) VALUES ($1, $2)`, [rows[0].id, memberId]);
    return rows[0].id;
  };

  const registerTestChannel = async (name: string, queueId: string): Promise<string> => {
    const response = await sutA
      .admin()
      .post('/admin/channels')
      .send({ name, provider: 'test', settings: { token: CHANNEL_TOKEN }, queueId })
      .expect(201);
    return response.body.id;
  };

  /** A customer writes through instance A's webhook; resolves with the chat it landed in. */
  const customerWrites = async (channelId: string, messageId: string, text: string): Promise<string> => {
    await request(sutA.app.getHttpServer())
      .post(`/webhooks/${channelId}`)
      .set('x-test-token', CHANNEL_TOKEN)
      .send({ id: messageId, chatId: `customer-chat-${channelId}`, userId: 'customer-1', text })
      .expect(200);
    const { rows } = await sutA.db.query(`SELECT id FROM chats WHERE channel_id = $1 AND status <> 'closed'`, [
      channelId,
    ]);
    return rows[0].id;
  };

  /**
   * Records an event on instance A the way the services do: in a transaction, seen once committed.
   * Each case's payload carries only the fields it checks.
   */
  const publishOnA = <T extends ChatScopedEventType>(type: T, chatId: string, payload: Record<string, unknown>) =>
    sutA.app
      .get(Transactions)
      .run(() => sutA.app.get(ChatEventRepository).append(type, { chatId, ...payload } as ChatEventPayloads[T]));

  beforeAll(async () => {
    sutA = await startTestApp();
    instanceB = await startTestApp({}, sutA.databaseUrl);
    await createOperator(member, 'member');
    await createOperator(outsider, 'outsider');
    memberQueueId = await createQueue('Support', member.id);
    const outsiderQueueId = await createQueue('Sales', outsider.id);
    memberChatId = await customerWrites(
      await registerTestChannel('Support line', memberQueueId),
      'setup-1',
      'hello support',
    );
    outsiderChatId = await customerWrites(
      await registerTestChannel('Sales line', outsiderQueueId),
      'setup-2',
      'hello sales',
    );
  });

  afterEach(() => {
    openStreams.splice(0).forEach((stream) => stream.close());
  });

  afterAll(async () => {
    await instanceB?.close();
    await sutA?.close();
  });

  it('refuses a request without a valid operator token, and a Last-Event-ID that is not an event id', async () => {
    const anonymous = await SseClient.open(instanceB.baseUrl, undefined);
    expect(anonymous.response.status).toBe(401);
    const wrongToken = await SseClient.open(instanceB.baseUrl, 'not-a-token');
    expect(wrongToken.response.status).toBe(401);
    const admin = await SseClient.open(instanceB.baseUrl, ADMIN_TOKEN);
    expect(admin.response.status).toBe(401);

    const badId = await SseClient.open(instanceB.baseUrl, member.token, '', { 'last-event-id': 'yesterday' });
    expect(badId.response.status).toBe(400);
  });

  it("streams on instance B a customer's message that instance A received, within a second", async () => {
    const stream = await openStream(instanceB, member.token);

    await customerWrites(await channelOf(memberChatId), 'live-1', 'Is my parcel on its way?');
    const storedAt = Date.now();

    const frame = await stream.next();
    expect(frame.receivedAt - storedAt).toBeLessThan(DELIVERY_DEADLINE_MS);
    expect(frame).toMatchObject({
      id: expect.stringMatching(/^\d+$/),
      event: 'message.created',
      data: {
        chatId: memberChatId,
        queueId: memberQueueId,
        operatorId: null,
        direction: 'in',
        text: 'Is my parcel on its way?',
        messageId: expect.any(String),
        createdAt: expect.any(String),
      },
    });
  });

  it('tells queue members and the previous owner, and no one else', async () => {
    const memberStream = await openStream(instanceB, member.token);
    const outsiderStream = await openStream(instanceB, outsider.token);

    await publishOnA('message.created', memberChatId, { messageId: 'm-42', direction: 'out', text: 'On its way' });
    const publishedAt = Date.now();
    const delivered = await memberStream.next();
    expect(delivered.receivedAt - publishedAt).toBeLessThan(DELIVERY_DEADLINE_MS);
    expect(delivered).toMatchObject({
      event: 'message.created',
      data: { chatId: memberChatId, messageId: 'm-42', text: 'On its way' },
    });

    await publishOnA('chat.transferred', memberChatId, {
      previousOperatorId: outsider.id,
      operatorId: null,
      queueId: memberQueueId,
    });
    // Events reach a stream in order, so had the message above been sent to the outsider it would come first.
    const toOutsider = await outsiderStream.next();
    expect(toOutsider).toMatchObject({
      event: 'chat.transferred',
      data: { chatId: memberChatId, previousOperatorId: outsider.id },
    });
    expect((await memberStream.next()).event).toBe('chat.transferred');

    await publishOnA('message.created', outsiderChatId, {
      messageId: 'm-43',
      direction: 'out',
      text: 'For sales only',
    });
    expect(await outsiderStream.next()).toMatchObject({ data: { chatId: outsiderChatId } });
    expect(memberStream.frames).toEqual([]);
  });

  it('replays exactly the missed events, oldest first, to a client reconnecting with Last-Event-ID, then goes on live', async () => {
    const first = await openStream(instanceB, member.token);
    await publishOnA('message.created', memberChatId, { text: 'seen' });
    const lastSeen = await first.next();
    first.close();

    await publishOnA('message.created', memberChatId, { text: 'missed 1' });
    await publishOnA('message.created', outsiderChatId, { text: 'not for the member' });
    await publishOnA('chat.closed', memberChatId, { previousOperatorId: null });

    const reconnected = await openStream(instanceB, member.token, '', { 'last-event-id': lastSeen.id! });
    const replayed = [await reconnected.next(), await reconnected.next()];
    expect(replayed.map((frame) => [frame.event, frame.data.text])).toEqual([
      ['message.created', 'missed 1'],
      ['chat.closed', undefined],
    ]);
    expect(Number(replayed[0].id)).toBeGreaterThan(Number(lastSeen.id));
    expect(Number(replayed[1].id)).toBeGreaterThan(Number(replayed[0].id));

    await publishOnA('message.created', memberChatId, { text: 'live again' });
    expect((await reconnected.next()).data.text).toBe('live again');
    expect(reconnected.frames).toEqual([]);

    const byQuery = await openStream(sutA, member.token, `?lastEventId=${lastSeen.id}`);
    const replayedOnA = [await byQuery.next(), await byQuery.next(), await byQuery.next()];
    expect(replayedOnA.map((frame) => frame.id)).toEqual([...replayed.map((frame) => frame.id), expect.any(String)]);
  });

  it('delivers an event whose transaction commits after a newer one (ids are taken at insert, commits come in any order)', async () => {
    const stream = await openStream(instanceB, member.token);
    let releaseSlow!: () => void;
    const slowMayCommit = new Promise<void>((resolve) => (releaseSlow = resolve));
    let slowHasWritten!: () => void;
    const slowWrote = new Promise<void>((resolve) => (slowHasWritten = resolve));
    const slow = sutA.app.get(Transactions).run(async () => {
      await sutA.app.get(ChatEventRepository).append('message.created', {
        chatId: memberChatId,
        messageId: 'm-late',
        direction: 'out',
        text: 'older id, committed later',
      });
      slowHasWritten();
      await slowMayCommit;
    });
    await slowWrote;
    await publishOnA('message.created', memberChatId, { text: 'newer id, committed first' });
    const newer = await stream.next();
    expect(newer.data.text).toBe('newer id, committed first');

    releaseSlow();
    await slow;
    const late = await stream.next();
    expect(late.data.text).toBe('older id, committed later');
    expect(BigInt(late.id!)).toBeLessThan(BigInt(newer.id!));
    expect(stream.frames).toEqual([]);
  });

  it('ends open streams when an instance shuts down, so app.close() does not wait for clients', async () => {
    const instanceC = await startTestApp({}, sutA.databaseUrl);
    const stream = await openStream(instanceC, member.token);

    const closingAt = Date.now();
    await instanceC.close();

    // Not the 5 s keep-alive timeout of a connection the server did not find idle.
    expect(Date.now() - closingAt).toBeLessThan(3_000);
    await eventually(async () => stream.ended, 1_000);
  });

  it('deletes events older than a day, keeping recent ones', async () => {
    await sutA.db.query(
      `INSERT INTO chat_events (type, chat_id, payload, created_at) VALUES ('message.created', $1, '{}', now() - interval '25 hours')`,
      [memberChatId],
    );
    const countEvents = async () => Number((await sutA.db.query(`SELECT count(*) FROM chat_events`)).rows[0].count);
    const before = await countEvents();

    const deleted = await sutA.app.get(ChatEventsCleanup).deleteExpired();

    expect(deleted).toBe(1);
    expect(await countEvents()).toBe(before - 1);
  });

  async function channelOf(chatId: string): Promise<string> {
    const { rows } = await sutA.db.query(`SELECT channel_id FROM chats WHERE id = $1`, [chatId]);
    return rows[0].channel_id;
  }
});
