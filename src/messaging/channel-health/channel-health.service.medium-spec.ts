import { ChatFixtures } from '../../../test/support/chat-fixtures';
import { MediumDatabase, openMediumDatabase } from '../../../test/support/medium-database';
import { ChannelRepository } from '../../channels/channel.repository';
import { ChannelHealth } from './channel-health.service';

interface Flags {
  active: boolean;
  connected: boolean;
  registered: boolean;
  error: string | null;
}

const HEALTHY: Flags = { active: true, connected: true, registered: true, error: null };

describe(ChannelHealth.name, () => {
  let database: MediumDatabase;
  let fixtures: ChatFixtures;
  let sut: ChannelHealth;
  let channelId: string;
  let other: string;

  beforeAll(async () => {
    database = await openMediumDatabase();
    fixtures = new ChatFixtures(database.transactions);
    sut = new ChannelHealth(new ChannelRepository(database.transactions));
  });

  afterAll(() => database.close());

  beforeEach(async () => {
    channelId = (await fixtures.channel()).id;
    other = (await fixtures.channel()).id;
  });

  async function flags(id = channelId): Promise<Flags> {
    const [row] = await database.query<Flags>(
      `SELECT active, connected, registered, error FROM channels WHERE id = $1`,
      [id],
    );
    return row;
  }

  it('pauses a broken channel with the reason, and nothing else', async () => {
    await sut.markBroken(channelId, 'HTTP 401: token revoked');

    expect(await flags()).toEqual({ ...HEALTHY, connected: false, error: 'HTTP 401: token revoked' });
    expect(await flags(other)).toEqual(HEALTHY);
  });

  it('marks an unreachable channel disconnected but leaves it running', async () => {
    await sut.markUnreachable(channelId);

    expect(await flags()).toEqual({ ...HEALTHY, connected: false });
  });

  it('clears the error when the provider takes the credentials again', async () => {
    await sut.markBroken(channelId, 'revoked');

    await sut.markConnected(channelId);

    expect(await flags()).toEqual(HEALTHY);
  });

  it('records a registration: registered, connected as the provider says, and no longer paused', async () => {
    await database.query(`UPDATE channels SET registered = false, connected = true, error = 'revoked' WHERE id = $1`, [
      channelId,
    ]);

    await sut.markRegistered(channelId, false);

    expect(await flags()).toEqual({ ...HEALTHY, connected: false });
  });

  it('switches a channel off and on', async () => {
    await sut.setActive(channelId, false);
    expect(await flags()).toEqual({ ...HEALTHY, active: false });

    await sut.setActive(channelId, true);
    expect(await flags()).toEqual(HEALTHY);
  });

  it("joins the caller's transaction: nothing is written when it rolls back", async () => {
    const rolledBack = database.transactions.run(async () => {
      await sut.markBroken(channelId, 'revoked');
      throw new Error('the rest of the change failed');
    });

    await expect(rolledBack).rejects.toThrow('the rest of the change failed');
    expect(await flags()).toEqual(HEALTHY);
  });
});
