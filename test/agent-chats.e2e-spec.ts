import request from 'supertest';
import {
  as,
  createOperator,
  createQueue,
  createTestChannel,
  customerWrites,
  TestOperator,
} from './support/agent-setup';
import { eventually } from './support/eventually';
import { startTestApp, TestApp } from './support/test-app';

describe('Agent API: operators and chat management', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });

  afterAll(async () => {
    await sut.close();
  });

  async function manualQueueWith(...names: string[]) {
    const operators: TestOperator[] = [];
    for (const name of names) operators.push(await createOperator(sut, name));
    const queueId = await createQueue(sut, 'manual', operators);
    const channelId = await createTestChannel(sut, queueId);
    return { operators, queueId, channelId };
  }

  describe('operators', () => {
    it('shows the token once, stores only its hash, and rotates it', async () => {
      const created = await sut
        .admin()
        .post('/admin/operators')
        .send({ name: 'Alice', email: 'Alice@Example.com', maxActiveChats: 3 })
        .expect(201);
      expect(created.body).toMatchObject({
        name: 'Alice',
        email: 'alice@example.com',
        maxActiveChats: 3,
        status: 'offline',
        token: expect.stringMatching(/^op_/),
      });
      const { token, id } = created.body;
      const stored = await sut.db.query(`SELECT token_hash FROM operators WHERE id = $1`, [id]);
      expect(stored.rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored.rows[0].token_hash).not.toContain(token);
      const listed = await sut.admin().get('/admin/operators').expect(200);
      expect(JSON.stringify(listed.body)).not.toContain(token);
      expect(JSON.stringify(listed.body)).not.toContain('tokenHash');

      const me = await request(sut.app.getHttpServer())
        .get('/operators/me')
        .auth(token, { type: 'bearer' })
        .expect(200);
      expect(me.body).toMatchObject({ id, name: 'Alice' });

      const rotated = await sut.admin().post(`/admin/operators/${id}/token`).expect(201);
      await request(sut.app.getHttpServer()).get('/operators/me').auth(token, { type: 'bearer' }).expect(401);
      await request(sut.app.getHttpServer())
        .get('/operators/me')
        .auth(rotated.body.token, { type: 'bearer' })
        .expect(200);
    });

    it('refuses a duplicate email (409) and bad input (400)', async () => {
      await sut.admin().post('/admin/operators').send({ name: 'Bob', email: 'bob@example.com' }).expect(201);
      const duplicate = await sut
        .admin()
        .post('/admin/operators')
        .send({ name: 'Bob 2', email: 'BOB@example.com' })
        .expect(409);
      expect(duplicate.body).toMatchObject({ code: 'CONFLICT', field: 'email' });
      const bad = await sut.admin().post('/admin/operators').send({ name: 'X', email: 'not-an-email' }).expect(400);
      expect(bad.body.field).toBe('email');
    });

    it('sets its own status, and the admin token is not an operator token', async () => {
      const operator = await createOperator(sut, 'Carol');
      const response = await as(sut, operator).put('/operators/me/status').send({ status: 'online' }).expect(200);
      expect(response.body.status).toBe('online');
      await as(sut, operator).put('/operators/me/status').send({ status: 'away' }).expect(400);
      await sut.admin().get('/operators/me').expect(401);
    });
  });

  describe('chat management', () => {
    it('lets exactly one of two operators accept a waiting chat at once', async () => {
      const { operators, channelId } = await manualQueueWith('Dan', 'Eve');
      const chatId = await customerWrites(sut, channelId, 'race');
      const answers = await Promise.all(operators.map((operator) => as(sut, operator).post(`/chats/${chatId}/accept`)));
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
      const winner = operators[answers.findIndex((answer) => answer.status === 200)];
      const chat = await sut.db.query(`SELECT status, operator_id FROM chats WHERE id = $1`, [chatId]);
      expect(chat.rows[0]).toEqual({ status: 'active', operator_id: winner.id });
      expect(answers.find((answer) => answer.status === 409)!.body).toMatchObject({ code: 'CONFLICT' });
    });

    it('keeps operators out of chats that are neither theirs nor in their queues', async () => {
      const { operators, channelId } = await manualQueueWith('Frank');
      const outsider = await createOperator(sut, 'Mallory');
      const chatId = await customerWrites(sut, channelId, 'private');
      await as(sut, operators[0]).get(`/chats/${chatId}`).expect(200);
      for (const [method, path] of [
        ['get', `/chats/${chatId}`],
        ['get', `/chats/${chatId}/messages`],
        ['post', `/chats/${chatId}/accept`],
        ['post', `/chats/${chatId}/read`],
        ['post', `/chats/${chatId}/close`],
        ['get', `/chats/${chatId}/actions`],
      ] as const) {
        const response = await as(sut, outsider)[method](path);
        expect([path, response.status]).toEqual([path, 404]);
      }
      const reply = await as(sut, outsider)
        .post(`/chats/${chatId}/messages`)
        .send({ text: 'hi', clientMessageId: 'm' });
      expect(reply.status).toBe(404);
      const list = await as(sut, outsider).get('/chats').expect(200);
      expect(list.body.items).toEqual([]);
    });

    it("lists the operator's chats and waiting chats of their queues, keyset-paginated", async () => {
      const { operators, channelId } = await manualQueueWith('Grace');
      for (const id of ['l-1', 'l-2', 'l-3']) await customerWrites(sut, channelId, id);
      const first = await as(sut, operators[0]).get('/chats').query({ status: 'queued', limit: 2 }).expect(200);
      expect(first.body.items.map((chat: { externalChatId: string }) => chat.externalChatId)).toEqual(['l-3', 'l-2']);
      expect(first.body.items[0]).toMatchObject({
        contact: { name: 'Customer l-3' },
        unreadCount: 1,
        lastMessage: { text: 'hello' },
      });
      const second = await as(sut, operators[0])
        .get('/chats')
        .query({ status: 'queued', limit: 2, cursor: first.body.nextCursor })
        .expect(200);
      expect(second.body).toMatchObject({
        items: [expect.objectContaining({ externalChatId: 'l-1' })],
        nextCursor: null,
      });
    });

    it('answers only an accepted chat, through MessageManager.send, and refuses what the channel cannot take', async () => {
      const { operators, channelId } = await manualQueueWith('Heidi');
      const [heidi] = operators;
      const chatId = await customerWrites(sut, channelId, 'reply');
      const early = await as(sut, heidi)
        .post(`/chats/${chatId}/messages`)
        .send({ text: 'hi', clientMessageId: 'early' })
        .expect(403);
      expect(early.body.message).toMatch(/accept it first/);
      expect((await as(sut, heidi).get(`/chats/${chatId}/actions`).expect(200)).body.actions).toEqual([
        'accept',
        'read',
      ]);

      await as(sut, heidi).post(`/chats/${chatId}/accept`).expect(200);
      expect((await as(sut, heidi).get(`/chats/${chatId}/actions`).expect(200)).body.actions).toEqual([
        'read',
        'reply',
        'close',
        'transfer',
      ]);
      const sent = await as(sut, heidi)
        .post(`/chats/${chatId}/messages`)
        .send({ text: 'How can I help?', clientMessageId: 'r-1' })
        .expect(202);
      expect(sent.body).toMatchObject({ senderType: 'operator', senderId: heidi.id });
      // The outbox's own tick may claim it between the commit and the answer, as the README says.
      expect(['queued', 'sending']).toContain(sent.body.status);
      await eventually(async () => {
        const { rows } = await sut.db.query(`SELECT status, provider_message_id FROM messages WHERE id = $1`, [
          sent.body.id,
        ]);
        return rows[0].status === 'sent' && rows[0];
      });

      const tooLong = await as(sut, heidi)
        .post(`/chats/${chatId}/messages`)
        .send({ text: 'x'.repeat(4097), clientMessageId: 'r-2' })
        .expect(400);
      expect(tooLong.body).toMatchObject({ code: 'CHANNEL_CANNOT_SEND', field: 'text' });
      const withFile = await as(sut, heidi)
        .post(`/chats/${chatId}/messages`)
        .send({
          text: 'file',
          clientMessageId: 'r-3',
          attachments: [{ url: 'https://example.com/a.pdf', type: 'document' }],
        })
        .expect(400);
      expect(withFile.body).toMatchObject({ code: 'CHANNEL_CANNOT_SEND', field: 'attachments' });
    });

    it('closes a chat; the next customer message opens a new one, and a closed chat takes no reply', async () => {
      const { operators, channelId } = await manualQueueWith('Ivan');
      const [ivan] = operators;
      const chatId = await customerWrites(sut, channelId, 'closing');
      await as(sut, ivan).post(`/chats/${chatId}/accept`).expect(200);
      const closed = await as(sut, ivan).post(`/chats/${chatId}/close`).expect(200);
      expect(closed.body).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
      const refused = await as(sut, ivan)
        .post(`/chats/${chatId}/messages`)
        .send({ text: 'late', clientMessageId: 'late' })
        .expect(409);
      expect(refused.body.code).toBe('CHAT_CLOSED');
      const reopened = await customerWrites(sut, channelId, 'closing', 'me again');
      expect(reopened).not.toBe(chatId);
      const chats = await sut.db.query(
        `SELECT status FROM chats WHERE channel_id = $1 AND external_chat_id = 'closing' ORDER BY created_at`,
        [channelId],
      );
      expect(chats.rows.map((row) => row.status)).toEqual(['closed', 'queued']);
    });

    it('transfers a chat to another operator or back to a queue', async () => {
      const { operators, channelId, queueId } = await manualQueueWith('Judy', 'Ken');
      const [judy, ken] = operators;
      const chatId = await customerWrites(sut, channelId, 'transfer');
      await as(sut, judy).post(`/chats/${chatId}/accept`).expect(200);
      await as(sut, ken).post(`/chats/${chatId}/transfer`).send({ operatorId: judy.id }).expect(403);
      await as(sut, judy).post(`/chats/${chatId}/transfer`).send({}).expect(400);
      const toKen = await as(sut, judy).post(`/chats/${chatId}/transfer`).send({ operatorId: ken.id }).expect(200);
      expect(toKen.body).toMatchObject({ status: 'active', operatorId: ken.id });
      const back = await as(sut, ken).post(`/chats/${chatId}/transfer`).send({ queueId }).expect(200);
      expect(back.body).toMatchObject({ status: 'queued', operatorId: null, queueId });
      const events = await sut.db.query(`SELECT type, payload FROM chat_events WHERE chat_id = $1 ORDER BY id`, [
        chatId,
      ]);
      expect(events.rows.map((row) => row.type)).toEqual([
        'message.created',
        'chat.assigned',
        'chat.transferred',
        'chat.transferred',
      ]);
      expect(events.rows[2].payload).toMatchObject({ previousOperatorId: judy.id, operatorId: ken.id });
    });

    it('keeps unread counts exact through receive, read, close and transfer', async () => {
      const { operators, channelId } = await manualQueueWith('Liam', 'Mia');
      const [liam, mia] = operators;
      const counts = async (operator: TestOperator) => ({
        chats: (await as(sut, operator).get('/chats/unread-count').expect(200)).body.count,
        messages: (await as(sut, operator).get('/messages/unread-count').expect(200)).body.count,
      });
      const a = await customerWrites(sut, channelId, 'u-a');
      await customerWrites(sut, channelId, 'u-a');
      const b = await customerWrites(sut, channelId, 'u-b');
      expect(await counts(liam)).toEqual({ chats: 2, messages: 3 });

      await as(sut, liam).post(`/chats/${a}/accept`).expect(200);
      expect(await counts(mia)).toEqual({ chats: 1, messages: 1 });
      await as(sut, liam).post(`/chats/${a}/read`).expect(200);
      expect(await counts(liam)).toEqual({ chats: 1, messages: 1 });
      const read = await sut.db.query(`SELECT DISTINCT status FROM messages WHERE chat_id = $1 AND direction = 'in'`, [
        a,
      ]);
      expect(read.rows).toEqual([{ status: 'read' }]);

      await customerWrites(sut, channelId, 'u-a', 'one more');
      expect(await counts(liam)).toEqual({ chats: 2, messages: 2 });
      await as(sut, liam).post(`/chats/${a}/transfer`).send({ operatorId: mia.id }).expect(200);
      expect(await counts(liam)).toEqual({ chats: 1, messages: 1 });
      expect(await counts(mia)).toEqual({ chats: 2, messages: 2 });
      await as(sut, mia).post(`/chats/${a}/close`).expect(200);
      expect(await counts(mia)).toEqual({ chats: 1, messages: 1 });
      await as(sut, mia).post(`/chats/${b}/accept`).expect(200);
      await as(sut, mia).post(`/chats/${b}/read`).expect(200);
      expect(await counts(mia)).toEqual({ chats: 0, messages: 0 });
    });

    it('lets the supervisor (admin token) see and answer every chat', async () => {
      const { channelId } = await manualQueueWith('Nina');
      const chatId = await customerWrites(sut, channelId, 'supervised');
      await sut.admin().get(`/chats/${chatId}`).expect(200);
      await sut
        .admin()
        .post(`/chats/${chatId}/messages`)
        .send({ text: 'Supervisor here', clientMessageId: 's-1' })
        .expect(202);
      await sut.admin().post(`/chats/${chatId}/accept`).expect(403);
    });
  });
});
