import { ChatRouter } from '../src/routing/chat-router.service';
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

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe(ChatRouter.name, () => {
  let sut: TestApp;
  let chatCounter = 0;

  beforeAll(async () => {
    sut = await startTestApp();
  });

  afterAll(async () => {
    await sut.close();
  });

  const route = () => sut.app.get(ChatRouter).routeWaitingChats();

  const setStatus = (operator: TestOperator, status: 'online' | 'busy' | 'offline') =>
    as(sut, operator).put('/operators/me/status').send({ status }).expect(200);

  /** Sets the status behind the API's back, so nothing wakes the router. */
  const setStatusQuietly = (operators: TestOperator[], status: string) =>
    sut.db.query(`UPDATE operators SET status = $2 WHERE id = ANY($1)`, [
      operators.map((operator) => operator.id),
      status,
    ]);

  async function onlineOperators(count: number, maxActiveChats = 5): Promise<TestOperator[]> {
    const operators: TestOperator[] = [];
    for (let index = 0; index < count; index++) {
      const operator = await createOperator(sut, `Agent${index}`, maxActiveChats);
      await setStatus(operator, 'online');
      operators.push(operator);
    }
    return operators.sort((a, b) => a.id.localeCompare(b.id));
  }

  async function queueWithChannel(
    routingRule: string,
    operators: TestOperator[],
  ): Promise<{ queueId: string; channelId: string }> {
    const queueId = await createQueue(sut, routingRule, operators);
    return { queueId, channelId: await createTestChannel(sut, queueId) };
  }

  async function openChats(channelId: string, count: number): Promise<string[]> {
    const chatIds: string[] = [];
    for (let index = 0; index < count; index++)
      chatIds.push(await customerWrites(sut, channelId, `chat-${++chatCounter}`));
    return chatIds;
  }

  /** Who each of the queue's chats is with (null: waiting), oldest chat first. */
  async function assignees(queueId: string): Promise<(string | null)[]> {
    const { rows } = await sut.db.query(`SELECT operator_id FROM chats WHERE queue_id = $1 ORDER BY created_at, id`, [
      queueId,
    ]);
    return rows.map((row) => row.operator_id);
  }

  async function openChatCount(operator: TestOperator): Promise<number> {
    const { rows } = await sut.db.query(
      `SELECT count(*)::int AS n FROM chats WHERE operator_id = $1 AND status <> 'closed'`,
      [operator.id],
    );
    return rows[0].n;
  }

  describe('round_robin', () => {
    it('gives three online operators six chats in turn, offered as queued, each announced as chat.assigned', async () => {
      const [first, second, third] = await onlineOperators(3);
      const { queueId, channelId } = await queueWithChannel('round_robin', [first, second, third]);

      const chatIds = await openChats(channelId, 6);
      await route();

      expect(await assignees(queueId)).toEqual([first.id, second.id, third.id, first.id, second.id, third.id]);
      const { rows: chats } = await sut.db.query(`SELECT DISTINCT status FROM chats WHERE queue_id = $1`, [queueId]);
      expect(chats).toEqual([{ status: 'queued' }]);
      const { rows: events } = await sut.db.query(
        `SELECT chat_id, operator_id, payload FROM chat_events WHERE type = 'chat.assigned' AND queue_id = $1 ORDER BY id`,
        [queueId],
      );
      expect(events).toEqual(
        chatIds.map((chatId, index) => {
          const operatorId = [first, second, third][index % 3].id;
          return { chat_id: chatId, operator_id: operatorId, payload: { chatId, operatorId } };
        }),
      );
    });

    it('honours maxActiveChats: the extra chats stay waiting', async () => {
      const [first] = await onlineOperators(1, 1);
      const [second] = await onlineOperators(1, 2);
      const { queueId, channelId } = await queueWithChannel('round_robin', [first, second]);

      await openChats(channelId, 5);
      await route();

      expect(await openChatCount(first)).toBe(1);
      expect(await openChatCount(second)).toBe(2);
      expect((await assignees(queueId)).filter((operatorId) => operatorId === null)).toHaveLength(2);
    });

    it('gives nothing to busy or offline members', async () => {
      const [online, busy, offline] = await onlineOperators(3, 10);
      await setStatus(busy, 'busy');
      await setStatus(offline, 'offline');
      const { queueId, channelId } = await queueWithChannel('round_robin', [online, busy, offline]);

      await openChats(channelId, 4);
      await route();

      expect(await assignees(queueId)).toEqual([online.id, online.id, online.id, online.id]);
    });

    it('assigns a waiting chat as soon as an operator comes online', async () => {
      const [operator] = await onlineOperators(1);
      await setStatus(operator, 'offline');
      const { queueId, channelId } = await queueWithChannel('round_robin', [operator]);
      await openChats(channelId, 1);
      await route();
      expect(await assignees(queueId)).toEqual([null]);

      await setStatus(operator, 'online');

      await eventually(async () => (await assignees(queueId))[0] === operator.id, 2_000);
    });

    it('assigns on its schedule alone, with nothing waking it', async () => {
      const [operator] = await onlineOperators(1);
      await setStatus(operator, 'offline');
      const { queueId, channelId } = await queueWithChannel('round_robin', [operator]);
      await openChats(channelId, 1);
      await route();

      await setStatusQuietly([operator], 'online');

      await eventually(async () => (await assignees(queueId))[0] === operator.id, 2_000);
    });

    it('never over-assigns when several passes route at once', async () => {
      const operators = await onlineOperators(3, 2);
      await setStatusQuietly(operators, 'offline');
      const { queueId, channelId } = await queueWithChannel('round_robin', operators);
      await openChats(channelId, 10);

      await setStatusQuietly(operators, 'online');
      const assigned = await Promise.all([route(), route(), route()]);

      expect(assigned.reduce((sum, count) => sum + count, 0)).toBeLessThanOrEqual(6);
      for (const operator of operators) expect(await openChatCount(operator)).toBe(2);
      expect((await assignees(queueId)).filter((operatorId) => operatorId === null)).toHaveLength(4);
    });

    it('re-checks the chosen operator under their row lock, moving on when they filled up meanwhile', async () => {
      const [chosen, next] = await onlineOperators(2, 1);
      const { channelId: sideChannel } = await queueWithChannel('manual', []);
      const [sideChat] = await openChats(sideChannel, 1);
      const { queueId, channelId } = await queueWithChannel('round_robin', [chosen, next]);

      await sut.db.query('BEGIN');
      try {
        await sut.db.query(`SELECT id FROM operators WHERE id = $1 FOR UPDATE`, [chosen.id]);
        await openChats(channelId, 1);
        await eventually(async () => {
          const { rows } = await sut.db.query(
            `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          return rows.length > 0;
        }, 2_000);
        // Another instance gives `chosen` their last free slot while the router waits for the lock.
        await sut.db.query(`UPDATE chats SET operator_id = $2, status = 'active' WHERE id = $1`, [sideChat, chosen.id]);
        await sut.db.query('COMMIT');
      } catch (error) {
        await sut.db.query('ROLLBACK');
        throw error;
      }
      await route();

      await eventually(async () => (await assignees(queueId))[0] === next.id, 2_000);
      expect(await openChatCount(chosen)).toBe(1);
    });
  });

  describe('least_busy', () => {
    it('picks the least loaded operator, ties going to the one waiting longest', async () => {
      const [loaded, idle, half] = await onlineOperators(3, 10);
      const { channelId: sideChannel } = await queueWithChannel('manual', []);
      const sideChats = await openChats(sideChannel, 3);
      await sut.db.query(`UPDATE chats SET operator_id = $2, status = 'active' WHERE id = ANY($1)`, [
        sideChats.slice(0, 2),
        loaded.id,
      ]);
      await sut.db.query(`UPDATE chats SET operator_id = $2, status = 'active' WHERE id = $1`, [sideChats[2], half.id]);
      // Round robin would pick `idle` last: it was given a chat most recently.
      await sut.db.query(`UPDATE operators SET last_assigned_at = now() - make_interval(mins => $2) WHERE id = $1`, [
        loaded.id,
        30,
      ]);
      await sut.db.query(`UPDATE operators SET last_assigned_at = now() - make_interval(mins => $2) WHERE id = $1`, [
        half.id,
        20,
      ]);
      await sut.db.query(`UPDATE operators SET last_assigned_at = now() - make_interval(mins => $2) WHERE id = $1`, [
        idle.id,
        10,
      ]);
      const { queueId, channelId } = await queueWithChannel('least_busy', [loaded, idle, half]);

      await openChats(channelId, 3);
      await route();

      expect(await assignees(queueId)).toEqual([idle.id, half.id, idle.id]);
    });
  });

  describe('manual', () => {
    it('never assigns: chats wait for a member to accept them', async () => {
      const operators = await onlineOperators(2);
      const { queueId, channelId } = await queueWithChannel('manual', operators);

      await openChats(channelId, 3);
      await route();

      expect(await assignees(queueId)).toEqual([null, null, null]);
    });
  });

  describe('releaseOffers', () => {
    it('hands an operator going offline their offers back, which routing gives to another member; active chats stay', async () => {
      const [leaving, staying] = await onlineOperators(2);
      const { queueId, channelId } = await queueWithChannel('round_robin', [leaving, staying]);
      const [accepted, , offered] = await openChats(channelId, 3);
      await route();
      expect(await assignees(queueId)).toEqual([leaving.id, staying.id, leaving.id]);
      await sut.db.query(`UPDATE chats SET status = 'active' WHERE id = $1`, [accepted]);

      await setStatus(leaving, 'offline');
      await route();

      expect(await assignees(queueId)).toEqual([leaving.id, staying.id, staying.id]);
      const { rows: events } = await sut.db.query(
        `SELECT type, payload FROM chat_events WHERE chat_id = $1 AND type <> 'message.created' ORDER BY id`,
        [offered],
      );
      expect(events).toEqual([
        { type: 'chat.assigned', payload: { chatId: offered, operatorId: leaving.id } },
        {
          type: 'chat.transferred',
          payload: { chatId: offered, previousOperatorId: leaving.id, operatorId: null, queueId },
        },
        { type: 'chat.assigned', payload: { chatId: offered, operatorId: staying.id } },
      ]);
    });
  });

  describe('admin API: queues', () => {
    const countQueues = async () => Number((await sut.db.query('SELECT count(*) FROM queues')).rows[0].count);

    it('creates, lists, reads, updates and deletes a queue', async () => {
      const [first, second] = await onlineOperators(2);
      const created = await sut
        .admin()
        .post('/admin/queues')
        .send({ name: 'Support', routingRule: 'round_robin', operatorIds: [first.id] })
        .expect(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        name: 'Support',
        routingRule: 'round_robin',
        operatorIds: [first.id],
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const id = created.body.id;

      const listed = await sut.admin().get('/admin/queues').expect(200);
      expect(listed.body).toContainEqual(created.body);
      await sut.admin().get(`/admin/queues/${id}`).expect(200, created.body);

      const updated = await sut
        .admin()
        .patch(`/admin/queues/${id}`)
        .send({ routingRule: 'least_busy', operatorIds: [first.id, second.id] })
        .expect(200);
      expect(updated.body).toMatchObject({
        name: 'Support',
        routingRule: 'least_busy',
        operatorIds: [first.id, second.id].sort(),
      });
      const cleared = await sut.admin().patch(`/admin/queues/${id}`).send({ operatorIds: [] }).expect(200);
      expect(cleared.body).toMatchObject({ routingRule: 'least_busy', operatorIds: [] });

      await sut.admin().delete(`/admin/queues/${id}`).expect(204);
      await sut.admin().get(`/admin/queues/${id}`).expect(404);
    });

    it('defaults to the manual rule and no members', async () => {
      const response = await sut.admin().post('/admin/queues').send({ name: 'Defaults' }).expect(201);
      expect(response.body).toMatchObject({ routingRule: 'manual', operatorIds: [] });
    });

    it.each([
      [{ name: 'Bad rule', routingRule: 'random' }, 'routingRule'],
      [{ name: 'Unknown operator', routingRule: 'manual', operatorIds: [UNKNOWN_ID] }, 'operatorIds'],
      [{ name: 'Not an id', operatorIds: ['nope'] }, 'operatorIds'],
      [{ routingRule: 'manual' }, 'name'],
    ])('refuses a bad queue %#, naming the field, and stores nothing', async (body, field) => {
      const before = await countQueues();
      const response = await sut.admin().post('/admin/queues').send(body).expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', field });
      expect(await countQueues()).toBe(before);
    });

    it('refuses a bad update and changes nothing', async () => {
      const id = await createQueue(sut, 'manual', []);
      const before = await sut.admin().get(`/admin/queues/${id}`).expect(200);
      const badRule = await sut.admin().patch(`/admin/queues/${id}`).send({ routingRule: 'random' }).expect(400);
      expect(badRule.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'routingRule' });
      const badMember = await sut
        .admin()
        .patch(`/admin/queues/${id}`)
        .send({ operatorIds: [UNKNOWN_ID] })
        .expect(400);
      expect(badMember.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'operatorIds' });
      await sut.admin().get(`/admin/queues/${id}`).expect(200, before.body);
    });

    it('answers 409 for a name another queue has', async () => {
      await sut.admin().post('/admin/queues').send({ name: 'Sales' }).expect(201);
      const duplicate = await sut.admin().post('/admin/queues').send({ name: 'Sales' }).expect(409);
      expect(duplicate.body).toMatchObject({ code: 'CONFLICT', field: 'name' });
      const other = await sut.admin().post('/admin/queues').send({ name: 'Billing' }).expect(201);
      const renamed = await sut.admin().patch(`/admin/queues/${other.body.id}`).send({ name: 'Sales' }).expect(409);
      expect(renamed.body).toMatchObject({ code: 'CONFLICT', field: 'name' });
    });

    it('refuses to delete a queue while chats wait in it', async () => {
      const { queueId, channelId } = await queueWithChannel('manual', []);
      await openChats(channelId, 1);
      const response = await sut.admin().delete(`/admin/queues/${queueId}`).expect(409);
      expect(response.body.code).toBe('CONFLICT');
      await sut.admin().get(`/admin/queues/${queueId}`).expect(200);
    });

    it('answers 404 for queues that do not exist or ids that are not ids', async () => {
      await sut.admin().get(`/admin/queues/${UNKNOWN_ID}`).expect(404);
      await sut.admin().patch(`/admin/queues/${UNKNOWN_ID}`).send({ name: 'x' }).expect(404);
      await sut.admin().delete(`/admin/queues/${UNKNOWN_ID}`).expect(404);
      const response = await sut.admin().get('/admin/queues/not-an-id').expect(404);
      expect(response.body.code).toBe('NOT_FOUND');
    });

    it('is for admins only', async () => {
      const [operator] = await onlineOperators(1);
      await as(sut, operator).get('/admin/queues').expect(401);
    });
  });
});
