// The agent console: an operator signs in with their token, sees their chats and queues live
// (GET /events), and accepts, reads, answers, transfers and closes chats.
import { ApiError, byId, createApi, describeError, formatTime, h, readEventStream, tokenStore } from './api.js';

/**
 * @typedef {import('./api.js').Chat} Chat
 * @typedef {import('./api.js').ChatPage} ChatPage
 * @typedef {import('./api.js').ChatActions} ChatActions
 * @typedef {import('./api.js').Count} Count
 * @typedef {import('./api.js').Message} Message
 * @typedef {import('./api.js').MessagePage} MessagePage
 * @typedef {import('./api.js').Operator} Operator
 * @typedef {import('./api.js').StreamEvent} StreamEvent
 */

/** Events arriving together cause one refresh after this pause. */
const REFRESH_DELAY_MS = 300;
/** The server sends a heartbeat every 15 s; after this long without one the stream is reopened. */
const STREAM_IDLE_TIMEOUT_MS = 45_000;
const RECONNECT_DELAYS_MS = [1_000, 2_000, 5_000, 15_000];
const MESSAGES_PAGE = 50;

const tokens = tokenStore('omni.operatorToken');
const api = createApi(tokens.get);

const ui = {
  signIn: byId('sign-in', HTMLFormElement),
  token: byId('token', HTMLInputElement),
  signInError: byId('sign-in-error', HTMLElement),
  session: byId('session', HTMLElement),
  live: byId('live', HTMLElement),
  unread: byId('unread', HTMLElement),
  status: byId('status', HTMLSelectElement),
  me: byId('me', HTMLElement),
  signOut: byId('sign-out', HTMLButtonElement),
  workspace: byId('workspace', HTMLElement),
  notice: byId('notice', HTMLElement),
  showClosed: byId('show-closed', HTMLInputElement),
  chats: byId('chats', HTMLUListElement),
  noChats: byId('no-chats', HTMLElement),
  noSelection: byId('no-selection', HTMLElement),
  chatView: byId('chat-view', HTMLElement),
  chatTitle: byId('chat-title', HTMLElement),
  chatMeta: byId('chat-meta', HTMLElement),
  accept: byId('accept', HTMLButtonElement),
  markRead: byId('mark-read', HTMLButtonElement),
  close: byId('close', HTMLButtonElement),
  transfer: byId('transfer', HTMLFormElement),
  transferKind: byId('transfer-kind', HTMLSelectElement),
  transferTarget: byId('transfer-target', HTMLInputElement),
  chatError: byId('chat-error', HTMLElement),
  older: byId('older', HTMLButtonElement),
  messages: byId('messages', HTMLOListElement),
  reply: byId('reply', HTMLFormElement),
  replyText: byId('reply-text', HTMLTextAreaElement),
};

const state = {
  /** @type {Operator | null} */
  me: null,
  /** @type {Chat[]} */
  chats: [],
  /** @type {string | null} */
  selectedId: null,
  /** @type {Chat | null} */
  chat: null,
  /** @type {Set<string>} */
  actions: new Set(),
  /** @type {Map<string, Message>} */
  messages: new Map(),
  /** @type {string | null} */
  olderCursor: null,
  selectedChanged: false,
  /** @type {string | null} */
  lastEventId: null,
  /** @type {AbortController | null} */
  stream: null,
  /** @type {string | null} The idempotency key of the reply being written: a resend after a lost answer is not sent twice. */
  draftKey: null,
};

/**
 * Runs `work` once at a time; requests made while it runs fold into one more run afterwards.
 * @param {() => Promise<void>} work
 * @returns {(delayMs: number) => void}
 */
function serialized(work) {
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null;
  let running = false;
  let again = false;
  const run = async () => {
    timer = null;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await work();
    } finally {
      running = false;
      if (again) {
        again = false;
        schedule(0);
      }
    }
  };
  /** @param {number} delayMs */
  const schedule = (delayMs) => {
    timer ??= setTimeout(() => void run(), delayMs);
  };
  return schedule;
}

const scheduleRefresh = serialized(async () => {
  const withSelected = state.selectedChanged;
  state.selectedChanged = false;
  try {
    await Promise.all([loadChats(), loadUnreadCounts(), withSelected && state.selectedId ? loadSelected() : null]);
    ui.notice.textContent = '';
  } catch (error) {
    if (!signOutIfRejected(error)) ui.notice.textContent = describeError(error);
  }
});

/** @param {{ selected?: boolean, delayMs?: number }} [options] */
function refresh({ selected = false, delayMs = 0 } = {}) {
  if (selected) state.selectedChanged = true;
  scheduleRefresh(delayMs);
}

// ---- sign-in and session ----

/** @param {string} token */
async function signIn(token) {
  tokens.set(token);
  try {
    state.me = /** @type {Operator} */ (await api('GET', '/operators/me'));
  } catch (error) {
    tokens.clear();
    throw error;
  }
  ui.signIn.hidden = true;
  ui.session.hidden = false;
  ui.workspace.hidden = false;
  renderMe();
  refresh();
  const fromLink = location.hash.slice(1);
  if (/^[0-9a-f-]{36}$/i.test(fromLink)) selectChat(fromLink);
  startStream();
}

function signOut(reason = '') {
  state.stream?.abort();
  tokens.clear();
  Object.assign(state, {
    me: null,
    chats: [],
    selectedId: null,
    chat: null,
    actions: new Set(),
    olderCursor: null,
    lastEventId: null,
    stream: null,
    draftKey: null,
  });
  state.messages.clear();
  ui.session.hidden = true;
  ui.workspace.hidden = true;
  ui.signIn.hidden = false;
  ui.signInError.textContent = reason;
  ui.token.value = '';
  history.replaceState(null, '', location.pathname);
}

/** @param {unknown} error */
function signOutIfRejected(error) {
  if (!(error instanceof ApiError) || error.status !== 401) return false;
  signOut('Your token is no longer accepted. Sign in again.');
  return true;
}

function renderMe() {
  if (!state.me) return;
  ui.me.replaceChildren(h('strong', {}, state.me.name), ' ', h('code', { title: 'Your operator id' }, state.me.id));
  ui.status.value = state.me.status;
}

// ---- the live event stream ----

function startStream() {
  const stream = new AbortController();
  state.stream = stream;
  void keepStreamOpen(stream.signal);
}

/** @param {AbortSignal} signal */
async function keepStreamOpen(signal) {
  let attempt = 0;
  while (!signal.aborted) {
    try {
      await readEventStream('/events', {
        token: tokens.get(),
        lastEventId: state.lastEventId,
        signal,
        idleTimeoutMs: STREAM_IDLE_TIMEOUT_MS,
        onOpen: () => {
          attempt = 0;
          setLive('live', 'live');
          // Whatever happened while the stream was closed is read afresh.
          refresh({ selected: true });
        },
        onEvent: onChatEvent,
      });
    } catch (error) {
      if (signal.aborted || signOutIfRejected(error)) return;
      if (error instanceof ApiError && error.status === 400) state.lastEventId = null;
    }
    if (signal.aborted) return;
    const delayMs = RECONNECT_DELAYS_MS[Math.min(attempt++, RECONNECT_DELAYS_MS.length - 1)];
    setLive('reconnecting', `reconnecting in ${delayMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

/** @param {StreamEvent} event */
function onChatEvent(event) {
  if (event.id) state.lastEventId = event.id;
  const chatId = chatIdOf(event);
  refresh({ selected: chatId === null || chatId === state.selectedId, delayMs: REFRESH_DELAY_MS });
}

/**
 * The chat an event is about, or null when it does not say (then every view is refreshed).
 * @param {StreamEvent} event
 */
function chatIdOf(event) {
  try {
    const payload = /** @type {unknown} */ (JSON.parse(event.data));
    if (typeof payload === 'object' && payload !== null && 'chatId' in payload && typeof payload.chatId === 'string')
      return payload.chatId;
  } catch {
    // Not JSON.
  }
  return null;
}

/**
 * @param {string} name
 * @param {string} label
 */
function setLive(name, label) {
  ui.live.dataset.state = name;
  ui.live.textContent = label;
}

// ---- the chat list and unread counts ----

async function loadChats() {
  const statuses = ui.showClosed.checked ? ['queued', 'active', 'closed'] : ['queued', 'active'];
  const pages = /** @type {ChatPage[]} */ (
    await Promise.all(statuses.map((status) => api('GET', `/chats?status=${status}&limit=100`)))
  );
  state.chats = pages.flatMap((page) => page.items).sort((a, b) => activityOf(b) - activityOf(a));
  renderChats();
}

/** @param {Chat} chat */
function activityOf(chat) {
  return new Date(chat.lastMessageAt ?? chat.createdAt).getTime();
}

async function loadUnreadCounts() {
  const [chats, messages] = /** @type {Count[]} */ (
    await Promise.all([api('GET', '/chats/unread-count'), api('GET', '/messages/unread-count')])
  );
  ui.unread.textContent =
    chats.count === 0
      ? 'nothing unread'
      : `${messages.count} unread in ${chats.count} ${chats.count === 1 ? 'chat' : 'chats'}`;
}

function renderChats() {
  ui.noChats.hidden = state.chats.length > 0;
  ui.chats.replaceChildren(...state.chats.map(renderChatItem));
}

/** @param {Chat} chat */
function renderChatItem(chat) {
  return h(
    'li',
    {},
    h(
      'button',
      {
        type: 'button',
        class: 'chat-item',
        'data-chat-id': chat.id,
        'aria-current': chat.id === state.selectedId ? 'true' : null,
        onclick: () => selectChat(chat.id),
      },
      h(
        'span',
        { class: 'row' },
        h('strong', { class: 'name' }, chat.contact.name),
        h('time', { class: 'muted' }, formatTime(chat.lastMessageAt)),
      ),
      h('span', { class: 'row' }, h('span', { class: 'preview' }, preview(chat)), unreadBadge(chat)),
      h('span', { class: 'row muted' }, chat.channel.name, statusBadge(chat)),
    ),
  );
}

/** @param {Chat} chat */
function unreadBadge(chat) {
  return chat.unreadCount > 0
    ? h('span', { class: 'badge', title: 'unread messages' }, String(chat.unreadCount))
    : null;
}

/** @param {Chat} chat */
function preview({ lastMessage }) {
  if (!lastMessage) return '';
  const text = lastMessage.text ?? '(attachment)';
  return lastMessage.direction === 'out' ? `↪ ${text}` : text;
}

/** @param {Chat} chat */
function statusBadge(chat) {
  return h('span', { class: `status status-${chat.status}` }, statusLabel(chat));
}

/** @param {Chat} chat */
function statusLabel(chat) {
  const mine = chat.operatorId === state.me?.id;
  switch (chat.status) {
    case 'queued':
      return mine ? 'offered to you' : 'waiting';
    case 'active':
      return mine ? 'yours' : 'active';
    case 'closed':
      return 'closed';
  }
}

// ---- the selected chat ----

/** @param {string} id */
function selectChat(id) {
  if (id !== state.selectedId) {
    state.selectedId = id;
    state.chat = null;
    state.messages.clear();
    state.olderCursor = null;
    state.draftKey = null;
    ui.replyText.value = '';
    ui.chatError.textContent = '';
    history.replaceState(null, '', `#${id}`);
  }
  renderChats();
  refresh({ selected: true });
}

async function loadSelected() {
  const id = state.selectedId;
  let answers;
  try {
    answers = await Promise.all([
      api('GET', `/chats/${id}`),
      api('GET', `/chats/${id}/actions`),
      api('GET', `/chats/${id}/messages?limit=${MESSAGES_PAGE}`),
    ]);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
    if (id === state.selectedId) clearSelection('That chat is not yours any more (or does not exist).');
    return;
  }
  if (id !== state.selectedId) return;
  const chat = /** @type {Chat} */ (answers[0]);
  const { actions } = /** @type {ChatActions} */ (answers[1]);
  const page = /** @type {MessagePage} */ (answers[2]);
  if (state.messages.size === 0) state.olderCursor = page.nextCursor;
  state.chat = chat;
  state.actions = new Set(actions);
  page.items.forEach((message) => state.messages.set(message.id, message));
  renderChat();
}

/** @param {string} reason */
function clearSelection(reason) {
  state.selectedId = null;
  state.chat = null;
  state.messages.clear();
  history.replaceState(null, '', location.pathname);
  ui.chatView.hidden = true;
  ui.noSelection.hidden = false;
  ui.noSelection.textContent = reason;
  renderChats();
}

async function loadOlderMessages() {
  const id = state.selectedId;
  const page = /** @type {MessagePage} */ (
    await api('GET', `/chats/${id}/messages?limit=${MESSAGES_PAGE}&before=${state.olderCursor}`)
  );
  if (id !== state.selectedId) return;
  state.olderCursor = page.nextCursor;
  page.items.forEach((message) => state.messages.set(message.id, message));
  renderChat({ keepScroll: true });
}

/** @param {{ keepScroll?: boolean }} [options] */
function renderChat({ keepScroll = false } = {}) {
  const { chat, actions } = state;
  if (!chat) return;
  ui.noSelection.hidden = true;
  ui.chatView.hidden = false;
  ui.chatView.dataset.status = chat.status;
  ui.chatTitle.textContent = chat.contact.name;
  ui.chatMeta.replaceChildren(
    `${chat.channel.name} (${chat.channel.provider}) · `,
    statusBadge(chat),
    chat.unreadCount > 0 ? ` · ${chat.unreadCount} unread` : '',
  );
  ui.accept.hidden = !actions.has('accept');
  ui.markRead.hidden = !actions.has('read') || chat.unreadCount === 0;
  ui.close.hidden = !actions.has('close');
  ui.transfer.hidden = !actions.has('transfer');
  ui.reply.hidden = !actions.has('reply');
  ui.older.hidden = !state.olderCursor;

  const list = ui.messages;
  const sameChat = list.dataset.chatId === chat.id;
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const heightBefore = list.scrollHeight;
  const messages = [...state.messages.values()].sort((a, b) => a.seq - b.seq);
  list.dataset.chatId = chat.id;
  list.replaceChildren(...messages.map((message) => renderMessage(chat, message)), ...replyHint(chat, actions));
  // Older messages go on top without moving what the agent reads; new ones follow only at the end.
  if (keepScroll) list.scrollTop += list.scrollHeight - heightBefore;
  else if (atBottom || !sameChat) list.scrollTop = list.scrollHeight;
}

/**
 * @param {Chat} chat
 * @param {Message} message
 */
function renderMessage(chat, message) {
  const outgoing = message.direction === 'out';
  const author = outgoing ? authorOf(message) : chat.contact.name;
  return h(
    'li',
    { class: `message ${outgoing ? 'out' : 'in'}`, 'data-message-id': message.id },
    message.text ? h('p', { class: 'text' }, message.text) : null,
    message.attachments.length > 0
      ? h(
          'ul',
          { class: 'attachments' },
          message.attachments.map((file) =>
            h('li', {}, `📎 ${file.fileName ?? file.kind}`, h('span', { class: 'muted' }, ` (${file.status})`)),
          ),
        )
      : null,
    h(
      'span',
      { class: 'meta' },
      `${author} · ${formatTime(message.sentAt ?? message.createdAt)}`,
      outgoing ? h('span', { class: `delivery delivery-${message.status}` }, ` · ${message.status}`) : null,
      message.error ? h('span', { class: 'error' }, ` · ${message.error}`) : null,
    ),
  );
}

/** @param {Message} message */
function authorOf(message) {
  if (message.senderType === 'operator') return message.senderId === state.me?.id ? 'You' : 'Another operator';
  return message.senderType;
}

/**
 * @param {Chat} chat
 * @param {Set<string>} actions
 */
function replyHint(chat, actions) {
  if (actions.has('reply')) return [];
  const hint =
    chat.status === 'closed'
      ? 'This chat is closed. The customer’s next message opens a new one.'
      : actions.has('accept')
        ? 'Accept the chat to answer.'
        : 'You cannot answer this chat.';
  return [h('li', { class: 'hint muted' }, hint)];
}

// ---- actions ----

/**
 * Runs an action on the selected chat, disabling `button` meanwhile, shows its error, then refreshes.
 * @param {HTMLButtonElement | null} button
 * @param {(chatId: string) => Promise<unknown>} work
 */
async function act(button, work) {
  const id = state.selectedId;
  if (!id) return;
  ui.chatError.textContent = '';
  if (button) button.disabled = true;
  try {
    await work(id);
  } catch (error) {
    if (!signOutIfRejected(error)) ui.chatError.textContent = describeError(error);
  } finally {
    if (button) button.disabled = false;
    refresh({ selected: true });
  }
}

/** @param {SubmitEvent} event */
function submitButtonOf(event) {
  return event.submitter instanceof HTMLButtonElement ? event.submitter : null;
}

function newDraftKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `console-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/** @param {SubmitEvent} event */
function sendReply(event) {
  event.preventDefault();
  const text = ui.replyText.value.trim();
  if (!text) return;
  const key = (state.draftKey ??= newDraftKey());
  void act(submitButtonOf(event), async (id) => {
    await api('POST', `/chats/${id}/messages`, { text, clientMessageId: key });
    state.draftKey = null;
    ui.replyText.value = '';
  });
}

/** @param {SubmitEvent} event */
function transfer(event) {
  event.preventDefault();
  const target = { [ui.transferKind.value]: ui.transferTarget.value.trim() };
  void act(submitButtonOf(event), async (id) => {
    await api('POST', `/chats/${id}/transfer`, target);
    ui.transferTarget.value = '';
  });
}

async function setStatus() {
  ui.status.disabled = true;
  try {
    state.me = /** @type {Operator} */ (await api('PUT', '/operators/me/status', { status: ui.status.value }));
  } catch (error) {
    if (!signOutIfRejected(error)) ui.notice.textContent = describeError(error);
  } finally {
    ui.status.disabled = false;
    renderMe();
  }
}

/** @param {SubmitEvent} event */
async function submitSignIn(event) {
  event.preventDefault();
  ui.signInError.textContent = '';
  try {
    await signIn(ui.token.value.trim());
  } catch (error) {
    ui.signInError.textContent =
      error instanceof ApiError && error.status === 401
        ? 'That token was not accepted. Use an operator token (the admin token signs in at /console/admin).'
        : describeError(error);
  }
}

ui.signIn.addEventListener('submit', (event) => void submitSignIn(event));
ui.signOut.addEventListener('click', () => signOut());
ui.status.addEventListener('change', () => void setStatus());
ui.showClosed.addEventListener('change', () => refresh());
ui.accept.addEventListener('click', () => void act(ui.accept, (id) => api('POST', `/chats/${id}/accept`)));
ui.markRead.addEventListener('click', () => void act(ui.markRead, (id) => api('POST', `/chats/${id}/read`)));
ui.close.addEventListener('click', () => void act(ui.close, (id) => api('POST', `/chats/${id}/close`)));
ui.older.addEventListener('click', () => void act(ui.older, loadOlderMessages));
ui.transfer.addEventListener('submit', transfer);
ui.reply.addEventListener('submit', sendReply);
ui.replyText.addEventListener('input', () => (state.draftKey = null));
ui.replyText.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) ui.reply.requestSubmit();
});

const saved = tokens.get();
if (saved) signIn(saved).catch((error) => signOut(describeError(error)));
