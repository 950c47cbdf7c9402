// The admin page: register a channel (provider, queue, settings as fields or JSON) and see every
// channel with its status and the webhook URL to give the sending system.
import { ApiError, byId, createApi, describeError, h, tokenStore } from './api.js';

/**
 * @typedef {import('./api.js').Channel} Channel
 * @typedef {import('./api.js').ChannelCheck} ChannelCheck
 * @typedef {import('./api.js').ChannelStatus} ChannelStatus
 * @typedef {import('./api.js').Provider} Provider
 * @typedef {import('./api.js').Queue} Queue
 */

/** Setting names whose values are typed like passwords (they are stored encrypted anyway). */
const SECRET_NAME = /secret|token|password|key/i;

const tokens = tokenStore('omni.adminToken');
const api = createApi(tokens.get);

const ui = {
  signIn: byId('sign-in', HTMLFormElement),
  token: byId('token', HTMLInputElement),
  signInError: byId('sign-in-error', HTMLElement),
  session: byId('session', HTMLElement),
  signOut: byId('sign-out', HTMLButtonElement),
  workspace: byId('workspace', HTMLElement),
  register: byId('register', HTMLFormElement),
  name: byId('name', HTMLInputElement),
  provider: byId('provider', HTMLSelectElement),
  queue: byId('queue', HTMLSelectElement),
  settingsFields: byId('settings-fields', HTMLElement),
  settingRows: byId('setting-rows', HTMLUListElement),
  addSetting: byId('add-setting', HTMLButtonElement),
  settingsJson: byId('settings-json', HTMLTextAreaElement),
  registerError: byId('register-error', HTMLElement),
  registerResult: byId('register-result', HTMLElement),
  reload: byId('reload', HTMLButtonElement),
  channelsError: byId('channels-error', HTMLElement),
  channelsNote: byId('channels-note', HTMLElement),
  channelsTable: byId('channels-table', HTMLTableElement),
  channels: byId('channels', HTMLTableSectionElement),
  noChannels: byId('no-channels', HTMLElement),
  modes: /** @type {HTMLInputElement[]} */ ([...document.querySelectorAll('input[name="settings-mode"]')]),
};

const state = {
  /** @type {Provider[]} */
  providers: [],
  /** @type {Queue[]} */
  queues: [],
  /** @type {Channel[]} */
  channels: [],
};

// ---- sign-in ----

/** @param {string} token */
async function signIn(token) {
  tokens.set(token);
  try {
    state.providers = /** @type {Provider[]} */ (await api('GET', '/admin/providers'));
  } catch (error) {
    tokens.clear();
    throw error;
  }
  ui.signIn.hidden = true;
  ui.session.hidden = false;
  ui.workspace.hidden = false;
  renderProviders();
  if (ui.settingRows.childElementCount === 0) addSettingRow();
  await reloadLists();
}

function signOut(reason = '') {
  tokens.clear();
  ui.workspace.hidden = true;
  ui.session.hidden = true;
  ui.signIn.hidden = false;
  ui.signInError.textContent = reason;
  ui.token.value = '';
}

/** @param {unknown} error */
function signOutIfRejected(error) {
  if (!(error instanceof ApiError) || error.status !== 401) return false;
  signOut('The admin token is no longer accepted. Sign in again.');
  return true;
}

// ---- providers and queues ----

function renderProviders() {
  ui.provider.replaceChildren(
    ...state.providers.map((provider) =>
      h(
        'option',
        { value: provider.code, disabled: !provider.available },
        `${provider.name} (${provider.code})${provider.available ? '' : ' – unavailable'}`,
      ),
    ),
  );
}

/** Queues first: the channel list shows their names. */
async function reloadLists() {
  const queuesFailure = await loadQueues().then(
    () => null,
    (/** @type {unknown} */ error) => error,
  );
  await loadChannels();
  if (queuesFailure && !signOutIfRejected(queuesFailure)) ui.channelsError.textContent = describeError(queuesFailure);
}

async function loadQueues() {
  state.queues = /** @type {Queue[]} */ (await api('GET', '/admin/queues'));
  ui.queue.replaceChildren(
    h('option', { value: '' }, 'no queue'),
    ...state.queues.map((queue) => h('option', { value: queue.id }, `${queue.name} (${queue.routingRule})`)),
  );
}

// ---- settings: fields or JSON ----

function addSettingRow(name = '', value = '') {
  const nameInput = h('input', { class: 'setting-name', placeholder: 'name', 'aria-label': 'Setting name' });
  const valueInput = h('input', {
    class: 'setting-value',
    placeholder: 'value',
    'aria-label': 'Setting value',
    autocomplete: 'off',
  });
  nameInput.value = name;
  valueInput.value = value;
  const typeForName = () => (valueInput.type = SECRET_NAME.test(nameInput.value) ? 'password' : 'text');
  nameInput.addEventListener('input', typeForName);
  typeForName();
  const remove = h('button', { type: 'button', class: 'link', 'aria-label': 'Remove setting' }, '×');
  const row = h('li', { class: 'setting-row' }, nameInput, valueInput, remove);
  remove.addEventListener('click', () => row.remove());
  ui.settingRows.append(row);
  return nameInput;
}

/** @returns {Record<string, string>} */
function settingsFromFields() {
  /** @type {Record<string, string>} */
  const settings = {};
  for (const row of ui.settingRows.children) {
    const [nameInput, valueInput] = row.querySelectorAll('input');
    const name = nameInput.value.trim();
    if (!name) continue;
    if (Object.hasOwn(settings, name)) throw new Error(`The setting "${name}" is given twice`);
    settings[name] = valueInput.value;
  }
  return settings;
}

/** @returns {Record<string, unknown>} */
function settingsFromJson() {
  const text = ui.settingsJson.value.trim();
  /** @type {unknown} */
  let settings;
  try {
    settings = text ? JSON.parse(text) : {};
  } catch (error) {
    throw new Error(`The settings are not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings))
    throw new Error('The settings must be a JSON object, e.g. {"token": "…"}');
  return /** @type {Record<string, unknown>} */ (settings);
}

function settingsMode() {
  return ui.modes.find((radio) => radio.checked)?.value === 'json' ? 'json' : 'fields';
}

/** Carries what was typed across when switching between fields and JSON. */
function switchSettingsMode() {
  ui.registerError.textContent = '';
  const toJson = settingsMode() === 'json';
  try {
    if (toJson) {
      const settings = settingsFromFields();
      ui.settingsJson.value = Object.keys(settings).length ? JSON.stringify(settings, null, 2) : '';
    } else {
      const settings = settingsFromJson();
      const entries = Object.entries(settings);
      if (entries.some(([, value]) => typeof value !== 'string'))
        throw new Error('Settings with numbers, true/false or nested values can only be edited as JSON');
      ui.settingRows.replaceChildren();
      entries.forEach(([name, value]) => addSettingRow(name, String(value)));
      if (entries.length === 0) addSettingRow();
    }
  } catch (error) {
    ui.registerError.textContent = error instanceof Error ? error.message : String(error);
    ui.modes.forEach((radio) => (radio.checked = radio.value === (toJson ? 'fields' : 'json')));
    return;
  }
  ui.settingsFields.hidden = toJson;
  ui.settingsJson.hidden = !toJson;
}

// ---- register ----

/** @param {SubmitEvent} event */
async function register(event) {
  event.preventDefault();
  ui.registerError.textContent = '';
  ui.registerResult.textContent = '';
  let settings;
  try {
    settings = settingsMode() === 'json' ? settingsFromJson() : settingsFromFields();
  } catch (error) {
    ui.registerError.textContent = error instanceof Error ? error.message : String(error);
    return;
  }
  const button = event.submitter instanceof HTMLButtonElement ? event.submitter : null;
  if (button) button.disabled = true;
  try {
    const channel = /** @type {Channel} */ (
      await api('POST', '/admin/channels', {
        name: ui.name.value.trim(),
        provider: ui.provider.value,
        settings,
        ...(ui.queue.value ? { queueId: ui.queue.value } : {}),
      })
    );
    ui.registerResult.replaceChildren(
      `Registered “${channel.name}”. Give the sending system its webhook URL: `,
      h('code', {}, channel.webhookUrl),
    );
    resetForm();
    await loadChannels();
  } catch (error) {
    if (!signOutIfRejected(error)) ui.registerError.textContent = describeError(error);
  } finally {
    if (button) button.disabled = false;
  }
}

function resetForm() {
  ui.name.value = '';
  ui.settingsJson.value = '';
  ui.settingRows.replaceChildren();
  addSettingRow();
}

// ---- the channel list ----

async function loadChannels() {
  ui.channelsError.textContent = '';
  try {
    state.channels = /** @type {Channel[]} */ (await api('GET', '/admin/channels'));
  } catch (error) {
    if (!signOutIfRejected(error)) ui.channelsError.textContent = describeError(error);
    return;
  }
  ui.noChannels.hidden = state.channels.length > 0;
  ui.channelsTable.hidden = state.channels.length === 0;
  ui.channels.replaceChildren(...state.channels.map(renderChannel));
}

/** @param {Channel} channel */
function renderChannel(channel) {
  const testButton = h('button', { type: 'button', class: 'link' }, 'Test');
  testButton.addEventListener('click', () => void testChannel(channel, testButton));
  return h(
    'tr',
    { 'data-channel-id': channel.id },
    h('td', {}, h('strong', {}, channel.name), h('div', { class: 'muted small' }, channel.id)),
    h('td', {}, channel.provider),
    h('td', {}, statusOf(channel.status)),
    h('td', {}, h('code', { class: 'url' }, channel.webhookUrl), copyButton(channel.webhookUrl)),
    h('td', {}, queueName(channel.queueId)),
    h('td', {}, testButton),
  );
}

/** @param {ChannelStatus} status */
function statusOf(status) {
  return h(
    'div',
    { class: 'statuses' },
    h('span', { class: `status ${status.active ? 'status-active' : 'status-closed'}` }, status.active ? 'on' : 'off'),
    h(
      'span',
      { class: `status ${status.connected ? 'status-active' : 'status-queued'}` },
      status.connected ? 'connected' : 'not connected',
    ),
    status.error ? h('div', { class: 'error small' }, status.error) : null,
  );
}

/** @param {string} text */
function copyButton(text) {
  // The clipboard API exists only on https and localhost.
  if (!window.isSecureContext) return null;
  const button = h('button', { type: 'button', class: 'link small' }, 'copy');
  button.addEventListener('click', () => {
    navigator.clipboard.writeText(text).then(
      () => (button.textContent = 'copied'),
      () => (button.textContent = 'copy failed'),
    );
  });
  return button;
}

/** @param {string | null} queueId */
function queueName(queueId) {
  if (!queueId) return h('span', { class: 'muted' }, '—');
  return state.queues.find((queue) => queue.id === queueId)?.name ?? queueId;
}

/**
 * @param {Channel} channel
 * @param {HTMLButtonElement} button
 */
async function testChannel(channel, button) {
  button.disabled = true;
  ui.channelsNote.textContent = '';
  try {
    const result = /** @type {ChannelCheck} */ (await api('POST', `/admin/channels/${channel.id}/test`));
    await loadChannels();
    ui.channelsNote.textContent = result.ok
      ? `“${channel.name}” works.`
      : `“${channel.name}” failed its check: ${result.error?.message ?? 'no reason given'}`;
  } catch (error) {
    if (!signOutIfRejected(error)) ui.channelsError.textContent = describeError(error);
  } finally {
    button.disabled = false;
  }
}

// ---- wiring ----

/** @param {SubmitEvent} event */
async function submitSignIn(event) {
  event.preventDefault();
  ui.signInError.textContent = '';
  try {
    await signIn(ui.token.value.trim());
  } catch (error) {
    ui.signInError.textContent =
      error instanceof ApiError && error.status === 401
        ? 'That is not the admin token. Operators sign in at /console.'
        : describeError(error);
  }
}

ui.signIn.addEventListener('submit', (event) => void submitSignIn(event));
ui.signOut.addEventListener('click', () => signOut());
ui.register.addEventListener('submit', (event) => void register(event));
ui.addSetting.addEventListener('click', () => addSettingRow().focus());
ui.modes.forEach((radio) => radio.addEventListener('change', switchSettingsMode));
ui.reload.addEventListener('click', () => void reloadLists());

const saved = tokens.get();
if (saved) signIn(saved).catch((error) => signOut(describeError(error)));
