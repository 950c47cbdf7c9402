import { ChatEventRecipientFields, isChatEventForOperator } from './chat-event-audience';

const ME = 'operator-me';
const SOMEONE_ELSE = 'operator-other';
const MY_QUEUE = 'queue-mine';
const OTHER_QUEUE = 'queue-other';

function event(fields: Partial<ChatEventRecipientFields>): ChatEventRecipientFields {
  return { operatorId: null, queueId: null, payload: {}, ...fields };
}

describe(isChatEventForOperator.name, () => {
  const myQueues = new Set([MY_QUEUE]);

  it('tells the operator whose chat it is', () => {
    expect(isChatEventForOperator(event({ operatorId: ME, queueId: OTHER_QUEUE }), ME, myQueues)).toBe(true);
  });

  it('tells the members of the chat queue', () => {
    expect(isChatEventForOperator(event({ queueId: MY_QUEUE }), ME, myQueues)).toBe(true);
    expect(isChatEventForOperator(event({ operatorId: SOMEONE_ELSE, queueId: MY_QUEUE }), ME, myQueues)).toBe(true);
  });

  it('tells the previous owner of a transferred or closed chat', () => {
    const transferred = event({ operatorId: SOMEONE_ELSE, queueId: OTHER_QUEUE, payload: { previousOperatorId: ME } });

    expect(isChatEventForOperator(transferred, ME, myQueues)).toBe(true);
  });

  it('does not tell anyone else', () => {
    expect(isChatEventForOperator(event({ operatorId: SOMEONE_ELSE, queueId: OTHER_QUEUE }), ME, myQueues)).toBe(false);
    expect(isChatEventForOperator(event({ payload: { previousOperatorId: SOMEONE_ELSE } }), ME, myQueues)).toBe(false);
    expect(isChatEventForOperator(event({}), ME, myQueues)).toBe(false);
  });

  it('does not treat a chat without a queue as one of the operator queues', () => {
    expect(isChatEventForOperator(event({ queueId: null }), ME, new Set())).toBe(false);
  });
});
