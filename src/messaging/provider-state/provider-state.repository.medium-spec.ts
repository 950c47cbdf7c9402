import { DataSource } from 'typeorm';
import { eventually } from '../../../test/support/eventually';
import { createTestDatabase } from '../../../test/support/test-database';
import { SecretBox } from '../../common/crypto/secret-box';
import { AppConfig } from '../../config/app-config';
import { buildDataSourceOptions } from '../../database/data-source.options';
import { Transactions } from '../../database/transactions';
import { ProviderStateRepository } from './provider-state.repository';

describe(ProviderStateRepository.name, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataSource: DataSource;
  let sut: ProviderStateRepository;
  let channelId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(buildDataSourceOptions(database.url)).initialize();
    const secretBox = new SecretBox({ secretsKey: Buffer.alloc(32, 7) } as AppConfig);
    sut = new ProviderStateRepository(new Transactions(dataSource), dataSource, secretBox);
    await dataSource.query(
      `INSERT INTO channel_providers (code, name, capabilities) VALUES ('test', 'Sandbox', '{}') ON CONFLICT DO NOTHING`,
    );
    const [settings] = await dataSource.query<{ id: string }[]>(
      `INSERT INTO msg_settings (provider, settings) VALUES ('test', '{}') RETURNING id`,
    );
    const [channel] = await dataSource.query<{ id: string }[]>(
      `INSERT INTO channels (name, provider, msg_settings_id) VALUES ('Sandbox', 'test', $1) RETURNING id`,
      [settings.id],
    );
    channelId = channel.id;
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('keeps a value per channel and key until it is deleted', async () => {
    await sut.set(channelId, 'poll', { cursor: '1803456789012345678' });
    await sut.set(channelId, 'poll', { cursor: '1803456789012346678' });

    await expect(sut.get(channelId, 'poll')).resolves.toEqual({ cursor: '1803456789012346678' });
    await sut.delete(channelId, 'poll');
    await expect(sut.get(channelId, 'poll')).resolves.toBeUndefined();
  });

  it('treats a value past its expiry as absent', async () => {
    await sut.set(channelId, 'lapsed', 'old', new Date(Date.now() - 1_000));

    await expect(sut.get(channelId, 'lapsed')).resolves.toBeUndefined();
  });

  it('keeps a secret encrypted at rest and gives it back in clear', async () => {
    await sut.setSecret(channelId, 'x.oauth.refreshToken', 'x-refresh-token-UkVGUkVTSC0w');

    const [row] = await dataSource.query<{ value: string }[]>(
      `SELECT value::text FROM provider_state WHERE channel_id = $1 AND key = 'x.oauth.refreshToken'`,
      [channelId],
    );
    expect(row.value).not.toContain('x-refresh-token-UkVGUkVTSC0w');
    await expect(sut.getSecret(channelId, 'x.oauth.refreshToken')).resolves.toBe('x-refresh-token-UkVGUkVTSC0w');
  });

  describe('withExclusiveLock', () => {
    /** Work that holds the lock until released, and says when it got it. */
    function heldWork(order: string[], name: string) {
      let release!: () => void;
      let entered!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const hasEntered = new Promise<void>((resolve) => (entered = resolve));
      const work = async () => {
        order.push(`${name} in`);
        entered();
        await released;
        order.push(`${name} out`);
      };
      return { work, release, hasEntered };
    }

    const waitingLocks = async () =>
      (
        await dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
        )
      )[0].n;

    it('runs work under one channel and key one caller at a time, even on other connections', async () => {
      const order: string[] = [];
      const first = heldWork(order, 'first');
      const firstDone = sut.withExclusiveLock(channelId, 'x.oauth.refresh', first.work);
      await first.hasEntered;

      const secondDone = sut.withExclusiveLock(channelId, 'x.oauth.refresh', async () => void order.push('second in'));
      await eventually(async () => (await waitingLocks()) === 1);
      expect(order).toEqual(['first in']);
      first.release();
      await Promise.all([firstDone, secondDone]);

      expect(order).toEqual(['first in', 'first out', 'second in']);
    });

    it('does not hold back work under another key', async () => {
      const order: string[] = [];
      const first = heldWork(order, 'first');
      const firstDone = sut.withExclusiveLock(channelId, 'x.oauth.refresh', first.work);
      await first.hasEntered;

      await sut.withExclusiveLock(channelId, 'another-key', async () => void order.push('other key'));
      first.release();
      await firstDone;

      expect(order).toEqual(['first in', 'other key', 'first out']);
    });
  });
});
