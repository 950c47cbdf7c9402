import request from 'supertest';
import { TestApp } from './test-app';

export const TEST_CHANNEL_TOKEN = 'test-token-123';

export interface TestOperator {
  id: string;
  token: string;
}

export async function createOperator(testApp: TestApp, name: string, maxActiveChats = 5): Promise<TestOperator> {
  const response = await testApp
    .admin()
    .post('/admin/operators')
    .send({ name, email: `${name.toLowerCase()}-${Date.now()}-${Math.random()}@example.com`, maxActiveChats })
    .expect(201);
  return { id: response.body.id, token: response.body.token };
}

export async function createQueue(testApp: TestApp, routingRule: string, operators: TestOperator[]): Promise<string> {
  const response = await testApp
    .admin()
    .post('/admin/queues')
    .send({
      name: `queue-${Date.now()}-${Math.random()}`,
      routingRule,
      operatorIds: operators.map((operator) => operator.id),
    })
    .expect(201);
  return response.body.id;
}

export async function createTestChannel(testApp: TestApp, queueId: string | null): Promise<string> {
  const response = await testApp
    .admin()
    .post('/admin/channels')
    .send({
      name: 'Sandbox',
      provider: 'test',
      settings: { token: TEST_CHANNEL_TOKEN },
      ...(queueId ? { queueId } : {}),
    })
    .expect(201);
  return response.body.id;
}

let messageCounter = 0;

/** A customer message on the test channel; a new chatId opens a new chat. Returns the chat id. */
export async function customerWrites(
  testApp: TestApp,
  channelId: string,
  chatId: string,
  text = 'hello',
): Promise<string> {
  await request(testApp.app.getHttpServer())
    .post(`/webhooks/${channelId}`)
    .set('x-test-token', TEST_CHANNEL_TOKEN)
    .send({
      id: `msg-${++messageCounter}-${Date.now()}`,
      chatId,
      userId: `user-${chatId}`,
      userName: `Customer ${chatId}`,
      text,
    })
    .expect(200);
  const { rows } = await testApp.db.query(
    `SELECT id FROM chats WHERE channel_id = $1 AND external_chat_id = $2 ORDER BY created_at DESC LIMIT 1`,
    [channelId, chatId],
  );
  return rows[0].id;
}

export function as(testApp: TestApp, operator: TestOperator) {
  return request.agent(testApp.app.getHttpServer()).auth(operator.token, { type: 'bearer' });
}
