import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import request from 'supertest';
import { as, createOperator, createQueue, TestOperator } from './support/agent-setup';
import { FakeReceiver } from './support/fake-receiver';
import { eventually } from './support/eventually';
import { ADMIN_TOKEN, startTestApp, TestApp } from './support/test-app';
import { inboundBody, postSigned, registerWebhookChannel } from './support/webhook-channel';

/** Debian's `chromium` package; `.ci/run` installs it when it is missing. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Screenshots of the key steps, for people to look at (gitignored). */
const ARTIFACTS_DIR = join(__dirname, 'artifacts');
const UI_TIMEOUT_MS = 5_000;

describe('agent console (headless Chromium)', () => {
  let testApp: TestApp;
  let receiver: FakeReceiver;
  let browser: Browser;
  let alice: TestOperator;
  let queueId: string;
  let channelId: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM_PATH)) {
      throw new Error(
        `Chromium is not installed at ${CHROMIUM_PATH}: install Debian's package with ` +
          '"apt-get install -y chromium" (.ci/run does this in CI) or set CHROMIUM_PATH',
      );
    }
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    [testApp, receiver, browser] = await Promise.all([
      startTestApp(),
      FakeReceiver.start(),
      chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }),
    ]);
    receiver.on('POST', '/outbound', () => ({ status: 200, body: { id: 'rcv-1' } }));
    alice = await createOperator(testApp, 'Alice');
    queueId = await createQueue(testApp, 'manual', [alice]);
    channelId = (await registerWebhookChannel(testApp, receiver)).id;
    await testApp.admin().patch(`/admin/channels/${channelId}`).send({ queueId }).expect(200);
  });

  afterAll(async () => {
    await browser?.close();
    await receiver?.stop();
    await testApp?.close();
  });

  it('serves the pages and only the listed assets, with a strict content security policy', async () => {
    const http = request(testApp.app.getHttpServer());
    const page = await http
      .get('/console')
      .expect(200)
      .expect('content-type', /text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('/console/assets/console.js');
    await http
      .get('/console/admin')
      .expect(200)
      .expect('content-type', /text\/html/);
    await http
      .get('/console/assets/console.js')
      .expect(200)
      .expect('content-type', /text\/javascript/);
    await http
      .get('/console/assets/style.css')
      .expect(200)
      .expect('content-type', /text\/css/);
    for (const path of ['/console/assets/tsconfig.json', '/console/assets/..%2Fconsole.module.ts'])
      expect((await http.get(path).expect(404)).body.code).toBe('NOT_FOUND');
  });

  it('shows a customer message live; the agent accepts, reads, replies, transfers, sets status and closes', async () => {
    const page = await openPage('/console');
    await page.fill('#token', alice.token);
    await page.click('#sign-in button[type=submit]');
    await page.locator('#live[data-state="live"]').waitFor();
    await page.locator('#me', { hasText: 'Alice' }).waitFor();

    await page.selectOption('#status', 'online');
    await eventually(async () => (await as(testApp, alice).get('/operators/me')).body.status === 'online');
    await page.evaluate(() => Object.assign(globalThis, { stillTheSamePage: true }));
    await screenshot(page, 'console-1-signed-in');

    // The customer writes while the console is open: the chat appears without a reload.
    await postSigned(
      testApp,
      channelId,
      inboundBody({ id: 'm-1', chatId: 'order-42', text: 'Where is my order? <b>#42</b>' }),
    ).expect(200);
    const item = page.locator('.chat-item', { hasText: 'Ada Lovelace' });
    await item.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await item.textContent()).toContain('Where is my order? <b>#42</b>');
    expect(await item.locator('.badge').textContent()).toBe('1');
    await page.locator('#unread', { hasText: '1 unread in 1 chat' }).waitFor();
    expect(await page.evaluate(() => (globalThis as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
    await screenshot(page, 'console-2-chat-arrived');

    await item.click();
    await page.locator('#chat-title', { hasText: 'Ada Lovelace' }).waitFor();
    const firstMessage = page.locator('.message.in').first();
    await firstMessage.waitFor();
    // Text from customers is shown as text: their markup is not markup here.
    expect(await firstMessage.locator('.text').textContent()).toBe('Where is my order? <b>#42</b>');
    expect(await firstMessage.locator('b').count()).toBe(0);

    await page.click('#accept');
    await page.locator('#chat-view[data-status="active"]').waitFor();
    await postSigned(testApp, channelId, inboundBody({ id: 'm-2', chatId: 'order-42', text: 'Any news?' })).expect(200);
    await page.locator('.message.in', { hasText: 'Any news?' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator('#unread', { hasText: '2 unread in 1 chat' }).waitFor();
    await page.click('#mark-read');
    await page.locator('#unread', { hasText: 'nothing unread' }).waitFor();

    await page.fill('#reply-text', 'It ships today.');
    await page.click('#reply button[type=submit]');
    const delivered = await eventually(async () => receiver.received('POST', '/outbound')[0]);
    expect(delivered.json()).toMatchObject({ chatId: 'order-42', text: 'It ships today.' });
    await page.locator('.message.out', { hasText: 'It ships today.' }).locator('.delivery-sent').waitFor();
    expect(await page.inputValue('#reply-text')).toBe('');
    await screenshot(page, 'console-3-replied');

    // Back to the queue, where Alice (a member) takes it again.
    await page.selectOption('#transfer-kind', 'queueId');
    await page.fill('#transfer-target', queueId);
    await page.click('#transfer button[type=submit]');
    await page.locator('#chat-view[data-status="queued"]').waitFor();
    await page.click('#accept');
    await page.locator('#chat-view[data-status="active"]').waitFor();

    await page.selectOption('#status', 'busy');
    await eventually(async () => (await as(testApp, alice).get('/operators/me')).body.status === 'busy');

    await page.click('#close');
    await page.locator('#chat-view[data-status="closed"]').waitFor();
    await page.locator('.hint', { hasText: 'This chat is closed' }).waitFor();
    expect(await page.isHidden('#reply')).toBe(true);
    await page.locator('.chat-item').first().waitFor({ state: 'detached' });
    await page.check('#show-closed');
    await page.locator('.chat-item', { hasText: 'closed' }).waitFor();
    await screenshot(page, 'console-4-closed');

    const { rows } = await testApp.db.query(
      `SELECT status, operator_id FROM chats WHERE external_chat_id = 'order-42'`,
    );
    expect(rows).toEqual([{ status: 'closed', operator_id: alice.id }]);
    await expectNoPageErrors(page);
  });

  it('lets the admin register a channel and shows it with its status and webhook URL', async () => {
    const page = await openPage('/console/admin');
    await page.fill('#token', 'not-the-admin-token');
    await page.click('#sign-in button[type=submit]');
    await page.locator('#sign-in-error', { hasText: 'not the admin token' }).waitFor();

    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#sign-in button[type=submit]');
    await page.locator('#provider option[value="test"]').waitFor({ state: 'attached' });
    await page.locator(`#queue option[value="${queueId}"]`).waitFor({ state: 'attached' });

    await page.fill('#name', 'Sandbox');
    await page.selectOption('#provider', 'test');
    await page.selectOption('#queue', queueId);
    await page.fill('.setting-name', 'token');
    await page.fill('.setting-value', 'sandbox-token');
    // The fields carry over to JSON and back.
    await page.check('input[name="settings-mode"][value="json"]');
    expect(JSON.parse(await page.inputValue('#settings-json'))).toEqual({ token: 'sandbox-token' });
    await page.check('input[name="settings-mode"][value="fields"]');
    await page.click('#register button[type=submit]');
    await page.locator('#register-result', { hasText: '/webhooks/' }).waitFor();

    const channels = (await testApp.admin().get('/admin/channels').expect(200)).body;
    const sandbox = channels.find((channel: { name: string }) => channel.name === 'Sandbox');
    expect(sandbox).toMatchObject({ provider: 'test', queueId, settings: { token: '********' } });
    const row = page.locator(`tr[data-channel-id="${sandbox.id}"]`);
    await row.waitFor();
    const rowText = await row.textContent();
    expect(rowText).toContain(sandbox.webhookUrl);
    expect(rowText).toContain('connected');
    expect(await page.locator('#channels tr').count()).toBe(2);
    await screenshot(page, 'admin-1-channel-registered');

    // A provider's refusal is shown with the field at fault.
    await page.fill('#name', 'Broken');
    await page.selectOption('#provider', 'test');
    await page.fill('.setting-name', 'token');
    await page.fill('.setting-value', 'short');
    await page.click('#register button[type=submit]');
    await page.locator('#register-error', { hasText: 'token' }).waitFor();
    await expectNoPageErrors(page);
  });

  const pageErrors = new Map<Page, string[]>();

  /** A page in a fresh context (its own sessionStorage) that records script errors. */
  async function openPage(path: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    pageErrors.set(page, errors);
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      // Answers like the 401 of a wrong token are logged by the browser too; they are expected.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        errors.push(message.text());
    });
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await page.goto(`${testApp.baseUrl}${path}`);
    return page;
  }

  async function expectNoPageErrors(page: Page): Promise<void> {
    expect(pageErrors.get(page)).toEqual([]);
    await page.context().close();
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`) });
  }
});
