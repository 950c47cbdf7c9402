import { ChannelContext, InboundRequest } from '../../messaging/contracts/channel-context';
import { IncomeMessageWorker } from '../../messaging/contracts/provider-workers';
import { XIncomeWorker } from './x.income.worker';

const channel: ChannelContext = {
  id: '7d0c3a52-93a1-4b8e-9f4e-2f6f3c1d8a10',
  name: 'Acme on X',
  provider: 'x',
  source: '1587654321098765432',
  settings: {},
  webhookUrl: 'https://chat.example.com/webhooks/7d0c3a52-93a1-4b8e-9f4e-2f6f3c1d8a10',
};

/** An Account Activity API delivery, signed as X signs them: still refused, the channel is polled. */
const rawBody = Buffer.from('{"for_user_id":"2244994945","direct_message_events":[]}');

describe(XIncomeWorker.name, () => {
  const sut: IncomeMessageWorker = new XIncomeWorker();

  it.each([
    [
      'a request with an X webhook signature',
      { 'x-twitter-webhooks-signature': 'sha256=0WrgC+VDR1cB41SUdjtXj3VmL0mNsz/jaOhPnsK99D4=' },
    ],
    ['a request without headers', {}],
  ])('refuses %s with INVALID_SIGNATURE', (_case, headers) => {
    const request: InboundRequest = { headers, query: {}, rawBody, body: JSON.parse(rawBody.toString()) };

    expect(() => sut.verify(request, channel)).toThrow(
      expect.objectContaining({
        code: 'INVALID_SIGNATURE',
        status: 401,
        message: 'X channels are polled; they take no webhooks',
      }),
    );
  });

  it('parses any body into nothing', () => {
    expect(sut.parse(JSON.parse(rawBody.toString()), channel)).toEqual([]);
  });

  it('answers no GET verification (the webhook GET is a 404)', () => {
    expect(sut.challenge).toBeUndefined();
  });
});
