import { ChannelSendBudget } from '../../src/messaging/delivery/channel-send-budget';
import { createTestChannel, customerWrites } from '../support/agent-setup';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';

/** Promise 2: a per-channel send rate keeps the service under the provider's documented limit. */
describe('Per-channel send rate', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });

  afterAll(async () => {
    await sut.close();
  });

  it('lets a channel take at most its per-second budget (kept in the database, shared by instances)', async () => {
    const channelId = await createTestChannel(sut, null);
    const budget = sut.app.get(ChannelSendBudget);
    // Start early in a database second, so all 25 takes fall in one window.
    await eventually(async () => {
      const { rows } = await sut.db.query(`SELECT extract(milliseconds FROM clock_timestamp())::int % 1000 AS ms`);
      return rows[0].ms < 100;
    });
    const waits: number[] = [];
    for (let i = 0; i < 25; i++) waits.push(await budget.take(channelId, 20));
    expect(waits.slice(0, 20)).toEqual(Array(20).fill(0));
    for (const wait of waits.slice(20)) {
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(1000);
    }
  });

  it('spreads a burst of replies over seconds at the sandbox limit (20/s), sending each once', async () => {
    const channelId = await createTestChannel(sut, null);
    const chats: string[] = [];
    for (let i = 0; i < 5; i++) chats.push(await customerWrites(sut, channelId, `burst-${i}`));
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const reply = await sut
        .admin()
        .post(`/chats/${chats[i % 5]}/messages`)
        .send({ text: `r${i}`, clientMessageId: `r${i}` })
        .expect(202);
      ids.push(reply.body.id);
    }
    const sent = await eventually(async () => {
      const { rows } = await sut.db.query(
        `SELECT sent_at, provider_message_id FROM messages WHERE id = ANY($1) AND status = 'sent'`,
        [ids],
      );
      return rows.length === 50 && rows;
    }, 15_000);
    expect(new Set(sent.map((row) => row.provider_message_id)).size).toBe(50);
    const times = sent.map((row) => (row.sent_at as Date).getTime()).sort((a, b) => a - b);
    // 50 sends at 20 per second need at least two more seconds after the first.
    expect(times[times.length - 1] - times[0]).toBeGreaterThanOrEqual(1_000);
    const perSecond = new Map<number, number>();
    for (const time of times) perSecond.set(Math.floor(time / 1000), (perSecond.get(Math.floor(time / 1000)) ?? 0) + 1);
    expect(perSecond.size).toBeGreaterThanOrEqual(3);
  }, 30_000);
});
