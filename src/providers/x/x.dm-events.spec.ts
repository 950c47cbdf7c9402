import { XDmEventsPage } from './x.api.types';
import { compareEventIds, readDmEventsPage } from './x.dm-events';

const ACCOUNT_ID = '1587654321098765432';
const CUSTOMER_ID = '1456789012345678901';
const CONVERSATION = `${CUSTOMER_ID}-${ACCOUNT_ID}`;

/** A GET /2/dm_events page as X documents it: a customer photo message and the account's own reply before it. */
function documentedPage(): XDmEventsPage {
  return JSON.parse(
    JSON.stringify({
      data: [
        {
          id: '1803456789012345678',
          event_type: 'MessageCreate',
          text: 'Hi! Can you check order 8812? https://t.co/AbCdEf1234',
          sender_id: CUSTOMER_ID,
          dm_conversation_id: CONVERSATION,
          created_at: '2025-06-20T10:15:42.000Z',
          attachments: { media_keys: ['3_1803456788012345600'] },
        },
        {
          id: '1803456001234567890',
          event_type: 'MessageCreate',
          text: 'Thanks for reaching out to Acme!',
          sender_id: ACCOUNT_ID,
          dm_conversation_id: CONVERSATION,
          created_at: '2025-06-20T10:12:03.000Z',
        },
      ],
      includes: {
        users: [
          { id: CUSTOMER_ID, name: 'Anna Kowalska', username: 'anna_k_pl' },
          { id: ACCOUNT_ID, name: 'Acme Support', username: 'AcmeSupport' },
        ],
        media: [
          {
            media_key: '3_1803456788012345600',
            type: 'photo',
            url: 'https://pbs.twimg.com/dm_media/1803456788012345600/FakeImg.jpg',
            width: 1280,
            height: 960,
          },
        ],
      },
      meta: { result_count: 2, next_token: '18LAA581J5II7LA00C00ZZZZ' },
    }),
  );
}

function event(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    event_type: 'MessageCreate',
    text: `message ${id}`,
    sender_id: CUSTOMER_ID,
    dm_conversation_id: CONVERSATION,
    created_at: '2026-11-21T10:00:00.000Z',
    ...overrides,
  };
}

describe(readDmEventsPage.name, () => {
  it('turns a documented page into the customer message, every field mapped, and skips the account’s own', () => {
    const reading = readDmEventsPage(documentedPage(), null, ACCOUNT_ID);

    expect(reading).toStrictEqual({
      messages: [
        {
          kind: 'message',
          externalMessageId: '1803456789012345678',
          externalChatId: CONVERSATION,
          sender: { externalId: CUSTOMER_ID, name: 'Anna Kowalska' },
          text: 'Hi! Can you check order 8812? https://t.co/AbCdEf1234',
          attachments: [
            {
              kind: 'image',
              providerFileId: '3_1803456788012345600',
              url: 'https://pbs.twimg.com/dm_media/1803456788012345600/FakeImg.jpg',
              fileName: 'FakeImg.jpg',
            },
          ],
          sentAt: new Date('2025-06-20T10:15:42.000Z'),
        },
      ],
      newestId: '1803456789012345678',
      reachedCursor: false,
    });
  });

  it('counts the account’s own newer message in newestId, so the cursor moves past it', () => {
    const page: XDmEventsPage = { data: [event('1803456789012349999', { sender_id: ACCOUNT_ID })] };

    expect(readDmEventsPage(page, '1803456789012345678', ACCOUNT_ID)).toEqual({
      messages: [],
      newestId: '1803456789012349999',
      reachedCursor: false,
    });
  });

  it('keeps only events newer than the cursor and says when it reached the cursor', () => {
    const page: XDmEventsPage = {
      data: [event('1803456789012345680'), event('1803456789012345679'), event('1803456789012345678')],
    };

    const reading = readDmEventsPage(page, '1803456789012345679', ACCOUNT_ID);

    expect(reading.messages.map((message) => message.externalMessageId)).toEqual(['1803456789012345680']);
    expect(reading.newestId).toBe('1803456789012345680');
    expect(reading.reachedCursor).toBe(true);
  });

  it('compares ids as 64-bit integers: an id one digit longer is the newer one', () => {
    const page: XDmEventsPage = { data: [event('1000000000000000001'), event('999999999999999999')] };

    const reading = readDmEventsPage(page, '999999999999999999', ACCOUNT_ID);

    expect(reading.messages.map((message) => message.externalMessageId)).toEqual(['1000000000000000001']);
    expect(reading.newestId).toBe('1000000000000000001');
  });

  it.each([
    ['a participant event', event('1803456789012345690', { event_type: 'ParticipantsJoin' })],
    ['an event without a sender', event('1803456789012345690', { sender_id: undefined })],
    ['an event without a conversation', event('1803456789012345690', { dm_conversation_id: undefined })],
  ])('leaves out %s without failing, yet moves newestId past it', (_case, skipped) => {
    const reading = readDmEventsPage({ data: [skipped] }, null, ACCOUNT_ID);

    expect(reading).toEqual({ messages: [], newestId: '1803456789012345690', reachedCursor: false });
  });

  it('ignores an event whose id is not a snowflake', () => {
    expect(readDmEventsPage({ data: [event('not-an-id')] }, null, ACCOUNT_ID)).toEqual({
      messages: [],
      newestId: null,
      reachedCursor: false,
    });
  });

  it('reads an empty page (no data at all) as nothing new', () => {
    expect(readDmEventsPage({ meta: { result_count: 0 } }, '1803456789012345678', ACCOUNT_ID)).toEqual({
      messages: [],
      newestId: null,
      reachedCursor: false,
    });
  });

  it('takes the time from the snowflake id when created_at is missing', () => {
    const [message] = readDmEventsPage(
      { data: [event('1803456789012345678', { created_at: undefined })] },
      null,
      ACCOUNT_ID,
    ).messages;

    expect(message.sentAt.toISOString()).toBe('2024-06-19T15:56:19.764Z');
  });

  it('names the sender by @username when the user has no name, and leaves the name out when unknown', () => {
    const page: XDmEventsPage = {
      data: [event('1803456789012345679', { sender_id: '42' }), event('1803456789012345678')],
      includes: { users: [{ id: CUSTOMER_ID, username: 'anna_k_pl' }] },
    };

    const senders = readDmEventsPage(page, null, ACCOUNT_ID).messages.map((message) => message.sender);

    expect(senders).toStrictEqual([{ externalId: '42' }, { externalId: CUSTOMER_ID, name: '@anna_k_pl' }]);
  });

  it('keeps a video (no URL from X) as an attachment without url, and a text-less message without text', () => {
    const page: XDmEventsPage = {
      data: [event('1803456789012345678', { text: '', attachments: { media_keys: ['7_1', '3_404'] } })],
      includes: { media: [{ media_key: '7_1', type: 'video' }] },
    };

    const [message] = readDmEventsPage(page, null, ACCOUNT_ID).messages;

    expect(message.text).toBeUndefined();
    expect(message.attachments).toStrictEqual([
      { kind: 'video', providerFileId: '7_1' },
      { kind: 'file', providerFileId: '3_404' },
    ]);
  });
});

describe(compareEventIds.name, () => {
  it('orders by value, not by length or text', () => {
    expect(compareEventIds('999999999999999999', '1000000000000000000')).toBe(-1);
    expect(compareEventIds('1803456789012345679', '1803456789012345678')).toBe(1);
    expect(compareEventIds('1803456789012345678', '1803456789012345678')).toBe(0);
  });
});
