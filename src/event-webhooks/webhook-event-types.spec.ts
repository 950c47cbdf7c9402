import { SourceEvent, toWebhookEvent } from './webhook-event-types';

const CHAT = { chatId: 'chat-1', channelId: 'channel-1', contactId: 'contact-1' };

function event(type: string, payload: Record<string, unknown>, chat: Partial<SourceEvent> = CHAT): SourceEvent {
  return { id: '1', type, payload, chatId: null, channelId: null, contactId: null, ...chat };
}

describe(toWebhookEvent.name, () => {
  it('sends a new message with its chat, channel and contact', () => {
    const sut = toWebhookEvent(
      event('message.created', { chatId: 'chat-1', messageId: '42', direction: 'in', text: 'hi', internal: 1 }),
    );

    expect(sut).toEqual({
      type: 'message.created',
      data: { ...CHAT, messageId: '42', direction: 'in', text: 'hi' },
    });
  });

  it('sends a status change with a null error when there is none', () => {
    expect(toWebhookEvent(event('message.status', { messageId: '42', status: 'delivered' }))).toEqual({
      type: 'message.status',
      data: { ...CHAT, messageId: '42', status: 'delivered', error: null },
    });
  });

  it('treats an assignment and a transfer to an operator alike', () => {
    expect(toWebhookEvent(event('chat.assigned', { operatorId: 'op-1' }))).toEqual({
      type: 'chat.assigned',
      data: { ...CHAT, operatorId: 'op-1', previousOperatorId: null },
    });
    expect(
      toWebhookEvent(event('chat.transferred', { operatorId: 'op-2', previousOperatorId: 'op-1', queueId: 'q' })),
    ).toEqual({ type: 'chat.assigned', data: { ...CHAT, operatorId: 'op-2', previousOperatorId: 'op-1' } });
  });

  it('names the operator who had a closed chat', () => {
    expect(toWebhookEvent(event('chat.closed', { previousOperatorId: 'op-1' }))).toEqual({
      type: 'chat.closed',
      data: { ...CHAT, operatorId: 'op-1' },
    });
  });

  it('takes chat and contact events from their payload, which names their subject', () => {
    const chatCreated = { chatId: 'c', channelId: 'ch', contactId: 'ct', queueId: null, externalChatId: 'x' };
    const none = { chatId: null, channelId: null, contactId: null };

    expect(toWebhookEvent(event('chat.created', chatCreated, none))).toEqual({
      type: 'chat.created',
      data: chatCreated,
    });
    expect(
      toWebhookEvent(
        event('contact.created', { contactId: 'ct', name: 'Ada', channelId: 'ch', externalUserId: 'u1' }, none),
      ),
    ).toEqual({
      type: 'contact.created',
      data: { contactId: 'ct', name: 'Ada', channelId: 'ch', externalUserId: 'u1' },
    });
    expect(toWebhookEvent(event('contact.updated', { contactId: 'ct', name: 'Ada L.' }, none))).toEqual({
      type: 'contact.updated',
      data: { contactId: 'ct', name: 'Ada L.', avatarUrl: null },
    });
  });

  it.each([
    ['message.edited', { messageId: '42', text: 'fixed' }],
    ['chat.transferred', { operatorId: null, previousOperatorId: 'op-1', queueId: 'q' }],
    ['something.new', {}],
  ])('sends nothing for %s %j', (type, payload) => {
    expect(toWebhookEvent(event(type, payload))).toBeUndefined();
  });
});
