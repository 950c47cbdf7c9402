import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../test/support/test-database';
import { buildDataSourceOptions } from '../../database/data-source.options';
import { Transactions } from '../../database/transactions';
import { ChatEventRepository } from '../../events/chat-event.repository';
import { EventLogProgress, EventLogReader, EventLogReadOptions } from './event-log-reader';

/** A connection that writes events in transactions it commits or rolls back when the test says. */
class EventWriter {
  private constructor(private readonly client: Client) {}

  static async connect(url: string): Promise<EventWriter> {
    const client = new Client({ connectionString: url });
    await client.connect();
    return new EventWriter(client);
  }

  /** Opens a transaction and inserts one event in it; resolves to the event's id. */
  async beginWithEvent(): Promise<string> {
    await this.client.query('BEGIN');
    return this.insertEvent();
  }

  /** Inserts one event (committed at once outside a transaction); resolves to its id. */
  async insertEvent(): Promise<string> {
    const { rows } = await this.client.query<{ id: string }>(
      `INSERT INTO chat_events (type, payload) VALUES ('contact.updated', '{}') RETURNING id::text`,
    );
    return rows[0].id;
  }

  async commit(): Promise<void> {
    await this.client.query('COMMIT');
  }

  async rollback(): Promise<void> {
    await this.client.query('ROLLBACK');
  }

  end(): Promise<void> {
    return this.client.end();
  }
}

/** A reader that keeps its progress, as the live feed and the fan-out do. */
class FollowingReader {
  constructor(
    private readonly sut: EventLogReader,
    private readonly options: EventLogReadOptions,
    public progress: EventLogProgress,
  ) {}

  /** The ids of the events the next read returns. */
  async read(): Promise<string[]> {
    const page = await this.sut.readNext(this.progress, this.options);
    this.progress = page.progress;
    return page.events.map((event) => event.id);
  }
}

describe(EventLogReader.name, () => {
  let database: { url: string; drop(): Promise<void> };
  let dataSource: DataSource;
  let sut: EventLogReader;
  let slow: EventWriter;
  let fast: EventWriter;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(buildDataSourceOptions(database.url)).initialize();
    sut = new EventLogReader(new ChatEventRepository(new Transactions(dataSource)));
    slow = await EventWriter.connect(database.url);
    fast = await EventWriter.connect(database.url);
  });

  afterAll(async () => {
    await slow?.end();
    await fast?.end();
    await dataSource?.destroy();
    await database?.drop();
  });

  const readerFromNow = async (options: EventLogReadOptions) => new FollowingReader(sut, options, await sut.start());

  it('starts after the newest event', async () => {
    await fast.insertEvent();
    const reader = await readerFromNow({ limit: 10, maxReadAhead: 0 });

    expect(await reader.read()).toEqual([]);
    const next = await fast.insertEvent();
    expect(await reader.read()).toEqual([next]);
  });

  it('tells whether a read could find anything, without reading', async () => {
    const upToDate = await sut.start();
    expect(await sut.hasNews(upToDate)).toBe(false);

    await fast.insertEvent();
    expect(await sut.hasNews(upToDate)).toBe(true);
    const waiting = { ...(await sut.start()), horizon: { eventId: '1', waitsFor: ['3/7'] } };
    expect(await sut.hasNews(waiting)).toBe(true);
  });

  describe('waiting for the horizon (the fan-out: progress stored, nothing read ahead)', () => {
    const options = { limit: 10, maxReadAhead: 0 };

    it('holds a newer event back until an older one commits, then returns both in id order, once', async () => {
      const reader = await readerFromNow(options);
      const older = await slow.beginWithEvent();
      const newer = await fast.insertEvent();

      expect(await reader.read()).toEqual([]);
      expect(await reader.read()).toEqual([]);
      await slow.commit();

      expect(await reader.read()).toEqual([older, newer]);
      expect(await reader.read()).toEqual([]);
      expect(reader.progress).toEqual({ lastEventId: newer, horizon: null, readAhead: [] });
    });

    it('is not held back for ever by an id whose transaction rolled back', async () => {
      const reader = await readerFromNow(options);
      await slow.beginWithEvent();
      const committed = await fast.insertEvent();
      expect(await reader.read()).toEqual([]);

      await slow.rollback();

      expect(await reader.read()).toEqual([committed]);
      expect(reader.progress.lastEventId).toBe(committed);
    });

    it('reads a long run a page at a time, in id order', async () => {
      const reader = await readerFromNow({ limit: 2, maxReadAhead: 0 });
      const ids = [await fast.insertEvent(), await fast.insertEvent(), await fast.insertEvent()];

      expect(await reader.read()).toEqual(ids.slice(0, 2));
      expect(await reader.read()).toEqual(ids.slice(2));
      expect(await reader.read()).toEqual([]);
    });
  });

  describe('reading ahead of the horizon (the live feed: progress in memory)', () => {
    const options = { limit: 10, maxReadAhead: 100 };

    it('returns a newer event at once and the older one when it commits, each once', async () => {
      const reader = await readerFromNow(options);
      const older = await slow.beginWithEvent();
      const newer = await fast.insertEvent();

      expect(await reader.read()).toEqual([newer]);
      expect(await reader.read()).toEqual([]);
      await slow.commit();

      expect(await reader.read()).toEqual([older]);
      expect(await reader.read()).toEqual([]);
      expect(reader.progress).toEqual({ lastEventId: newer, horizon: null, readAhead: [] });
    });

    it('forgets a rolled-back id, and what it read ahead, once the horizon passes', async () => {
      const reader = await readerFromNow(options);
      await slow.beginWithEvent();
      const committed = await fast.insertEvent();
      expect(await reader.read()).toEqual([committed]);

      await slow.rollback();
      const later = await fast.insertEvent();

      expect(await reader.read()).toEqual([later]);
      expect(await reader.read()).toEqual([]);
      expect(reader.progress).toEqual({ lastEventId: later, horizon: null, readAhead: [] });
    });

    it('reads no further ahead than allowed while an older write is open', async () => {
      const reader = await readerFromNow({ limit: 10, maxReadAhead: 1 });
      const older = await slow.beginWithEvent();
      const first = await fast.insertEvent();
      expect(await reader.read()).toEqual([first]);
      const second = await fast.insertEvent();

      expect(await reader.read()).toEqual([]);
      await slow.commit();

      expect(await reader.read()).toEqual([older, second]);
      expect(reader.progress.readAhead).toEqual([]);
    });
  });
});
