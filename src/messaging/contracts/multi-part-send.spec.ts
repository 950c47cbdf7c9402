import { MultiPartMessage, sendInParts } from './multi-part-send';
import { ProviderError } from './provider-error';
import { ProviderStateStore } from './provider-state-store';

const CHANNEL_ID = '0c9e3f5a-6b1d-4e8f-9a2b-3c4d5e6f7a8b';

/** The provider-state store in memory, expiry ignored. */
class MemoryState {
  readonly values = new Map<string, unknown>();

  async get<T>(channelId: string, key: string): Promise<T | undefined> {
    return structuredClone(this.values.get(`${channelId}/${key}`)) as T | undefined;
  }

  async set(channelId: string, key: string, value: unknown): Promise<void> {
    this.values.set(`${channelId}/${key}`, structuredClone(value));
  }

  async delete(channelId: string, key: string): Promise<void> {
    this.values.delete(`${channelId}/${key}`);
  }
}

describe(sendInParts.name, () => {
  let state: MemoryState;
  let sent: string[];
  /** Failures by call number, counting from 1 across attempts. */
  let failOnCall: Map<number, ProviderError>;
  let calls: number;

  beforeEach(() => {
    state = new MemoryState();
    sent = [];
    failOnCall = new Map();
    calls = 0;
  });

  function send(parts: string[], options: Partial<MultiPartMessage<string>> = {}): Promise<string | null> {
    return sendInParts(state as unknown as ProviderStateStore, {
      channelId: CHANNEL_ID,
      messageId: '812',
      parts,
      sendPart: async (part) => {
        const failure = failOnCall.get(++calls);
        if (failure) throw failure;
        sent.push(part);
        return `id-of-${part}`;
      },
      ...options,
    });
  }

  it('sends one part without keeping any progress', async () => {
    await expect(send(['text'])).resolves.toBe('id-of-text');

    expect(sent).toEqual(['text']);
    expect(state.values.size).toBe(0);
  });

  it('sends the parts in order and answers the first part’s id, forgetting the progress after', async () => {
    await expect(send(['text', 'photo', 'invoice'])).resolves.toBe('id-of-text');

    expect(sent).toEqual(['text', 'photo', 'invoice']);
    expect(state.values.size).toBe(0);
  });

  it('answers the last part’s id when asked', async () => {
    await expect(send(['text', 'photo'], { externalIdFrom: 'last' })).resolves.toBe('id-of-photo');
  });

  it('names the message by the first id the provider gave', async () => {
    const ids = new Map([
      ['text', null],
      ['photo', 'mid.photo'],
    ]);

    const externalId = await send(['text', 'photo'], { sendPart: async (part) => ids.get(part) ?? null });

    expect(externalId).toBe('mid.photo');
  });

  it('stops at the first failure, throws it as it came, and sends only the rest on the retry', async () => {
    const limited = new ProviderError('RATE_LIMITED', 'Too Many Requests: retry after 1', 1000);
    failOnCall.set(2, limited);

    await expect(send(['text', 'photo', 'invoice'])).rejects.toBe(limited);
    expect(sent).toEqual(['text']);
    const retried = await send(['text', 'photo', 'invoice']);

    expect(sent).toEqual(['text', 'photo', 'invoice']);
    expect(retried).toBe('id-of-text');
    expect(state.values.size).toBe(0);
  });

  it.each(['TEMPORARY', 'RATE_LIMITED', 'AUTH_FAILED'] as const)(
    'keeps the progress after a %s failure, which the core retries',
    async (code) => {
      failOnCall.set(2, new ProviderError(code, 'later'));

      await expect(send(['text', 'photo'])).rejects.toMatchObject({ code });

      expect([...state.values.values()]).toEqual([['id-of-text']]);
    },
  );

  it.each(['PERMANENT', 'NOT_FOUND'] as const)('forgets the progress after a %s failure', async (code) => {
    failOnCall.set(2, new ProviderError(code, 'refused'));

    await expect(send(['text', 'photo'])).rejects.toMatchObject({ code });

    expect(state.values.size).toBe(0);
  });

  it('refuses a message with nothing to send as PERMANENT', async () => {
    await expect(send([])).rejects.toMatchObject({ code: 'PERMANENT' });
    expect(sent).toEqual([]);
  });
});
