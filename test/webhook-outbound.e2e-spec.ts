import { signBody } from '../src/providers/webhook/webhook.signature';
import { FakeReceiver } from './support/fake-receiver';
import { eventually } from './support/eventually';
import { startTestApp, TestApp } from './support/test-app';
import { inboundBody, postSigned, registerWebhookChannel, WEBHOOK_SECRET } from './support/webhook-channel';

describe('Outbound replies: POST /chats/:id/messages to a webhook channel', () => {
  let sut: TestApp;
  let receiver: FakeReceiver;
  let conversation = 0;

  beforeAll(async () => {
    sut = await startTestApp({ OUTBOUND_MAX_ATTEMPTS: '3', PROVIDER_HTTP_TIMEOUT_MS: '500' });
    receiver = await FakeReceiver.start();
  });

  afterAll(async () => {
    await sut.close();
    await receiver.stop();
  });

  /** A channel whose receiver listens on its own path, and a chat opened by a customer message. */
  async function openChat(): Promise<{ chatId: string; path: string }> {
    const path = `/outbound-${++conversation}`;
    const channel = await registerWebhookChannel(sut, receiver, { url: `${receiver.url}${path}` });
    await postSigned(
      sut,
      channel.id,
      inboundBody({ id: `in-${conversation}`, chatId: `customer-chat-${conversation}` }),
    ).expect(200);
    const { rows } = await sut.db.query('SELECT id FROM chats WHERE channel_id = $1', [channel.id]);
    return { chatId: rows[0].id, path };
  }

  const reply = (chatId: string, body: Record<string, unknown>) =>
    sut.admin().post(`/chats/${chatId}/messages`).send(body);

  async function settledMessage(messageId: string) {
    return eventually(async () => {
      const { rows } = await sut.db.query(
        `SELECT status, error, provider_message_id, attempts FROM messages WHERE id = $1`,
        [messageId],
      );
      return ['sent', 'failed'].includes(rows[0].status) && rows[0];
    });
  }

  it('queues the reply (202), then delivers it signed to the receiver, which gives its id', async () => {
    const { chatId, path } = await openChat();
    receiver.on('POST', path, () => ({ status: 200, body: { id: 'ext-42' } }));

    const accepted = await reply(chatId, { text: 'Your order ships today', clientMessageId: 'c-1' }).expect(202);
    expect(accepted.body).toMatchObject({
      direction: 'out',
      text: 'Your order ships today',
      clientMessageId: 'c-1',
    });
    // The dispatcher may claim it between the commit and the answer, as the README says.
    expect(['queued', 'sending']).toContain(accepted.body.status);

    expect(await settledMessage(accepted.body.id)).toMatchObject({
      status: 'sent',
      provider_message_id: 'ext-42',
      error: null,
    });
    const [delivery] = receiver.received('POST', path);
    expect(delivery.headers['x-signature-256']).toBe(signBody(delivery.rawBody, WEBHOOK_SECRET));
    expect(delivery.json()).toEqual({
      messageId: accepted.body.id,
      chatId: `customer-chat-${conversation}`,
      text: 'Your order ships today',
      attachments: [],
    });
    const page = await sut.admin().get(`/chats/${chatId}/messages`).expect(200);
    expect(page.body.items[0]).toMatchObject({ id: accepted.body.id, status: 'sent', providerMessageId: 'ext-42' });
    expect(
      page.body.items.map((message: { seq: number; direction: string }) => [message.seq, message.direction]),
    ).toEqual([
      [2, 'out'],
      [1, 'in'],
    ]);
  });

  it('returns the first message for a repeated clientMessageId and delivers it once', async () => {
    const { chatId, path } = await openChat();
    receiver.on('POST', path, () => ({ status: 200, body: { id: 'once' } }));
    const first = await reply(chatId, { text: 'only once', clientMessageId: 'dup' }).expect(202);
    const again = await Promise.all(
      [1, 2, 3].map(() => reply(chatId, { text: 'only once', clientMessageId: 'dup' }).expect(202)),
    );
    expect(new Set(again.map((response) => response.body.id))).toEqual(new Set([first.body.id]));
    await settledMessage(first.body.id);
    // Sent once: nothing more may arrive over the next worker polls (every 50 ms).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received('POST', path)).toHaveLength(1);
    const { rows } = await sut.db.query(`SELECT count(*) FROM messages WHERE chat_id = $1 AND direction = 'out'`, [
      chatId,
    ]);
    expect(Number(rows[0].count)).toBe(1);
  });

  it('retries after a 500 and delivers exactly once', async () => {
    const { chatId, path } = await openChat();
    receiver.queue('POST', path, { status: 500, body: { error: 'database is down' } });
    receiver.on('POST', path, () => ({ status: 200, body: { id: 'after-retry' } }));
    const accepted = await reply(chatId, { text: 'retry me', clientMessageId: 'r-1' }).expect(202);
    expect(await settledMessage(accepted.body.id)).toMatchObject({
      status: 'sent',
      provider_message_id: 'after-retry',
      attempts: 2,
    });
    expect(receiver.received('POST', path).map((request) => request.json().messageId)).toEqual([
      accepted.body.id,
      accepted.body.id,
    ]);
  });

  it('honours Retry-After on 429 before trying again', async () => {
    const { chatId, path } = await openChat();
    receiver.queue('POST', path, { status: 429, body: { error: 'slow down' }, headers: { 'retry-after': '1' } });
    receiver.on('POST', path, () => ({ status: 200, body: { id: 'patient' } }));
    const accepted = await reply(chatId, { text: 'rate limited', clientMessageId: 'rl-1' }).expect(202);
    expect(await settledMessage(accepted.body.id)).toMatchObject({ status: 'sent' });
    const [limited, delivered] = receiver.received('POST', path);
    expect(delivered.receivedAt - limited.receivedAt).toBeGreaterThanOrEqual(1000);
  });

  it("fails the message with the receiver's reason on a 4xx, without retrying", async () => {
    const { chatId, path } = await openChat();
    receiver.on('POST', path, () => ({ status: 400, body: { error: 'unknown chat' } }));
    const accepted = await reply(chatId, { text: 'nobody home', clientMessageId: 'f-1' }).expect(202);
    expect(await settledMessage(accepted.body.id)).toMatchObject({
      status: 'failed',
      error: 'HTTP 400: unknown chat',
      attempts: 1,
    });
    const page = await sut.admin().get(`/chats/${chatId}/messages`).expect(200);
    expect(page.body.items[0]).toMatchObject({ status: 'failed', error: 'HTTP 400: unknown chat' });
  });

  it('retries timeouts and gives up after OUTBOUND_MAX_ATTEMPTS with the last reason', async () => {
    const { chatId, path } = await openChat();
    receiver.on('POST', path, () => ({ status: 200, body: { id: 'too-late' }, delayMs: 1500 }));
    const accepted = await reply(chatId, { text: 'slow receiver', clientMessageId: 't-1' }).expect(202);
    const settled = await eventually(async () => {
      const { rows } = await sut.db.query(`SELECT status, error, attempts FROM messages WHERE id = $1`, [
        accepted.body.id,
      ]);
      return rows[0].status === 'failed' && rows[0];
    }, 20_000);
    expect(settled).toEqual({ status: 'failed', error: 'the request timed out', attempts: 3 });
  }, 30_000);

  it('sends attachments by URL', async () => {
    const { chatId, path } = await openChat();
    receiver.on('POST', path, () => ({ status: 201, body: { id: 'with-file' } }));
    const accepted = await reply(chatId, {
      text: 'the invoice',
      clientMessageId: 'a-1',
      attachments: [
        {
          url: 'https://files.example.com/invoice.pdf',
          type: 'document',
          fileName: 'invoice.pdf',
          mimeType: 'application/pdf',
        },
      ],
    }).expect(202);
    expect(accepted.body.attachments).toEqual([
      expect.objectContaining({ kind: 'document', status: 'remote', url: 'https://files.example.com/invoice.pdf' }),
    ]);
    await settledMessage(accepted.body.id);
    expect(receiver.received('POST', path)[0].json().attachments).toEqual([
      {
        url: 'https://files.example.com/invoice.pdf',
        type: 'document',
        fileName: 'invoice.pdf',
        mimeType: 'application/pdf',
      },
    ]);
  });

  it('refuses bad replies with a clear error and stores nothing', async () => {
    const { chatId } = await openChat();
    const count = async () =>
      Number((await sut.db.query(`SELECT count(*) FROM messages WHERE chat_id = $1`, [chatId])).rows[0].count);
    const before = await count();
    expect((await reply(chatId, { text: 'no key' }).expect(400)).body).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'clientMessageId',
    });
    expect((await reply(chatId, { clientMessageId: 'empty' }).expect(400)).body).toMatchObject({ field: 'text' });
    expect((await reply(chatId, { text: 'x'.repeat(20_001), clientMessageId: 'long' }).expect(400)).body).toMatchObject(
      {
        code: 'CHANNEL_CANNOT_SEND',
        field: 'text',
      },
    );
    expect(
      (
        await reply(chatId, {
          text: 'x',
          clientMessageId: 'bad-file',
          attachments: [{ url: 'file:///etc/passwd', type: 'document' }],
        }).expect(400)
      ).body,
    ).toMatchObject({ field: 'attachments[0].url' });
    await reply('00000000-0000-4000-8000-000000000000', { text: 'x', clientMessageId: 'nochat' }).expect(404);
    expect(await count()).toBe(before);
  });

  it('refuses to reply into a closed chat', async () => {
    const { chatId } = await openChat();
    await sut.db.query(`UPDATE chats SET status = 'closed', closed_at = now() WHERE id = $1`, [chatId]);
    expect((await reply(chatId, { text: 'too late', clientMessageId: 'closed' }).expect(409)).body).toMatchObject({
      code: 'CHAT_CLOSED',
    });
  });

  it('delivers a message that was queued while no dispatcher was running (outbox survives a restart)', async () => {
    const { chatId, path } = await openChat();
    receiver.on('POST', path, () => ({ status: 200, body: { id: 'recovered' } }));
    // As if a previous process committed the reply and died mid-send: status sending, claim already expired.
    const { rows } = await sut.db.query(
      `INSERT INTO messages (chat_id, seq, channel_id, direction, sender_type, text, status, client_message_id, attempts, next_attempt_at)
       SELECT id, last_seq + 1, channel_id, 'out', 'supervisor', 'left behind', 'sending', 'orphan', 1, now() - interval '1 second' FROM chats WHERE id = $1
       RETURNING id::text`,
      [chatId],
    );
    expect(await settledMessage(rows[0].id)).toMatchObject({
      status: 'sent',
      provider_message_id: 'recovered',
      attempts: 2,
    });
  });
});
