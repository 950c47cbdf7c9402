import { FakeReceiver } from '../support/fake-receiver';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';
import { inboundBody, postSigned, registerWebhookChannel } from '../support/webhook-channel';

describe('Safe fetching of attachments (promise 7)', () => {
  let receiver: FakeReceiver;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    receiver = await FakeReceiver.start();
    receiver.on('GET', '/photo.png', () => ({
      status: 200,
      body: Buffer.alloc(64, 1),
      headers: { 'content-type': 'image/png' },
    }));
    receiver.on('GET', '/big.bin', () => ({ status: 200, body: Buffer.alloc(4096, 1) }));
    receiver.on('GET', '/login', () => ({
      status: 200,
      body: Buffer.from('<html>sign in</html>'),
      headers: { 'content-type': 'text/html; charset=utf-8' },
    }));
    receiver.on('GET', '/moved', () => ({
      status: 302,
      headers: { location: `${receiver.url.replace('127.0.0.1', 'localhost')}/photo.png` },
    }));
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await receiver.stop();
  });

  async function fileOutcome(env: Record<string, string>, path: string) {
    const sut = await startTestApp({ JOB_MAX_ATTEMPTS: '1', ...env });
    apps.push(sut);
    const channel = await registerWebhookChannel(sut, receiver);
    await postSigned(
      sut,
      channel.id,
      inboundBody({ id: `m-${path}`, text: 'file', attachments: [{ url: `${receiver.url}${path}`, type: 'file' }] }),
    ).expect(200);
    return eventually(async () => {
      const { rows } = await sut.db.query(
        `SELECT f.status, f.error, m.text FROM message_files f JOIN messages m ON m.id = f.message_id WHERE m.channel_id = $1`,
        [channel.id],
      );
      return rows[0]?.status !== 'pending' && rows[0];
    });
  }

  it('refuses private addresses unless ALLOW_PRIVATE_NETWORK_FETCH is set, keeping the message', async () => {
    expect(await fileOutcome({ ALLOW_PRIVATE_NETWORK_FETCH: 'false' }, '/photo.png')).toEqual({
      status: 'failed',
      error: 'refused to fetch from 127.0.0.1: it is a private address (set ALLOW_PRIVATE_NETWORK_FETCH=true to allow)',
      text: 'file',
    });
    expect(await fileOutcome({}, '/photo.png')).toMatchObject({ status: 'stored', error: null });
  });

  it('refuses a redirect to another host, a web page instead of a file, and a file over the size cap', async () => {
    expect(await fileOutcome({}, '/moved')).toMatchObject({
      status: 'failed',
      error: 'refused a redirect from 127.0.0.1 to another host',
    });
    expect(await fileOutcome({}, '/login')).toMatchObject({
      status: 'failed',
      error: 'the URL answered a web page, not a file',
    });
    expect(await fileOutcome({ ATTACHMENT_MAX_BYTES: '2048' }, '/big.bin')).toMatchObject({
      status: 'failed',
      error: 'the file is larger than ATTACHMENT_MAX_BYTES (2048 bytes)',
    });
  });
});
