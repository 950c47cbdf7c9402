import request from 'supertest';
import { signBody } from '../../src/providers/webhook/webhook.signature';
import { FakeReceiver } from './fake-receiver';
import { TestApp } from './test-app';

export const WEBHOOK_SECRET = 'receiver-shared-secret-0123456789';

export async function registerWebhookChannel(
  testApp: TestApp,
  receiver: FakeReceiver,
  settings: Record<string, unknown> = {},
): Promise<{ id: string; webhookUrl: string }> {
  const response = await testApp
    .admin()
    .post('/admin/channels')
    .send({
      name: 'Shop site',
      provider: 'webhook',
      settings: { url: `${receiver.url}/outbound`, secret: WEBHOOK_SECRET, ...settings },
    })
    .expect(201);
  return response.body;
}

export interface InboundMessageFixture {
  id: string;
  chatId?: string;
  from?: { id: string; name?: string };
  text?: string;
  timestamp?: string | number;
  attachments?: { url: string; type: string; fileName?: string; mimeType?: string }[];
}

export function inboundBody(...messages: InboundMessageFixture[]): string {
  return JSON.stringify({
    messages: messages.map((message) => ({
      chatId: 'chat-1',
      from: { id: 'customer-1', name: 'Ada Lovelace' },
      text: `hello ${message.id}`,
      timestamp: '2026-11-21T10:00:00Z',
      ...message,
    })),
  });
}

/** POSTs a raw body to the channel's webhook signed with `secret`. */
export function postSigned(testApp: TestApp, channelId: string, body: string, secret = WEBHOOK_SECRET) {
  return request(testApp.app.getHttpServer())
    .post(`/webhooks/${channelId}`)
    .set('content-type', 'application/json')
    .set('x-signature-256', signBody(body, secret))
    .send(body);
}
