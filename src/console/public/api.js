// Shared by the agent console and the admin page: the token kept for this tab, the API client,
// the event stream reader and a DOM builder that only ever writes text (never HTML).
// Types are JSDoc, checked by `npx tsc -p src/console/public` and by ESLint.

/**
 * The API's answers, as far as the pages read them.
 * @typedef {'online' | 'busy' | 'offline'} OperatorStatus
 * @typedef {{ id: string, name: string, email: string, status: OperatorStatus }} Operator
 * @typedef {'queued' | 'active' | 'closed'} ChatStatus
 * @typedef {{ id: string, direction: 'in' | 'out', text: string | null, status: string }} LastMessage
 * @typedef {{
 *   id: string, status: ChatStatus, externalChatId: string,
 *   channel: { id: string, name: string, provider: string },
 *   contact: { id: string, name: string },
 *   queueId: string | null, operatorId: string | null, unreadCount: number,
 *   lastMessage: LastMessage | null, lastMessageAt: string | null, createdAt: string
 * }} Chat
 * @typedef {{ items: Chat[], nextCursor: string | null }} ChatPage
 * @typedef {{ id: string, kind: string, fileName: string | null, status: string }} Attachment
 * @typedef {{
 *   id: string, seq: number, direction: 'in' | 'out', senderType: 'contact' | 'operator' | 'supervisor',
 *   senderId: string | null, text: string | null, status: string, error: string | null,
 *   sentAt: string | null, createdAt: string, attachments: Attachment[]
 * }} Message
 * @typedef {{ items: Message[], nextCursor: string | null }} MessagePage
 * @typedef {{ count: number }} Count
 * @typedef {{ actions: string[] }} ChatActions
 * @typedef {{ code: string, name: string, available: boolean }} Provider
 * @typedef {{ id: string, name: string, routingRule: string }} Queue
 * @typedef {{ active: boolean, connected: boolean, registered: boolean, error: string | null }} ChannelStatus
 * @typedef {{
 *   id: string, name: string, provider: string, queueId: string | null, status: ChannelStatus, webhookUrl: string
 * }} Channel
 * @typedef {{ ok: boolean, error?: { code: string, message: string } }} ChannelCheck
 * @typedef {{ id: string | undefined, type: string, data: string }} StreamEvent
 * @typedef {(method: string, path: string, body?: unknown) => Promise<unknown>} Api
 */

/** An error answer of the API: `{statusCode, code, message, field?}`. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {unknown} body
   */
  constructor(status, body) {
    const answer = /** @type {{ code?: string, message?: string, field?: string } | undefined} */ (body);
    super(answer?.message ?? `The server answered ${status}`);
    this.status = status;
    this.code = answer?.code ?? `HTTP_${status}`;
    this.field = answer?.field;
  }
}

/**
 * A token kept in sessionStorage: it lives as long as this browser tab.
 * @param {string} key
 */
export function tokenStore(key) {
  return {
    get: () => sessionStorage.getItem(key) ?? '',
    /** @param {string} token */
    set: (token) => sessionStorage.setItem(key, token),
    clear: () => sessionStorage.removeItem(key),
  };
}

/**
 * `api(method, path, body?)`: JSON in and out, the token as a bearer token; throws ApiError.
 * Callers state the shape of the answer they read.
 * @param {() => string} getToken
 * @returns {Api}
 */
export function createApi(getToken) {
  return async (method, path, body) => {
    /** @type {Record<string, string>} */
    const headers = { accept: 'application/json', authorization: `Bearer ${getToken()}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    const data = await readJson(response);
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  };
}

/**
 * @param {Response} response
 * @returns {Promise<unknown>}
 */
async function readJson(response) {
  const text = await response.text();
  try {
    return text ? /** @type {unknown} */ (JSON.parse(text)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads server-sent events with fetch, which (unlike EventSource) can send the Authorization
 * header. Calls `onOpen` once connected and `onEvent` per event; resolves when the server ends
 * the stream, rejects on a failed connection or when nothing, not even a heartbeat, arrived for
 * `idleTimeoutMs`.
 * @param {string} url
 * @param {{
 *   token: string, lastEventId: string | null, signal: AbortSignal, idleTimeoutMs: number,
 *   onOpen: () => void, onEvent: (event: StreamEvent) => void
 * }} options
 */
export async function readEventStream(url, { token, lastEventId, signal, idleTimeoutMs, onOpen, onEvent }) {
  const connection = new AbortController();
  const abort = () => connection.abort();
  signal.addEventListener('abort', abort, { once: true });
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let idleTimer;
  const stillAlive = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(abort, idleTimeoutMs);
  };
  try {
    stillAlive();
    /** @type {Record<string, string>} */
    const headers = { accept: 'text/event-stream', authorization: `Bearer ${token}` };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    const response = await fetch(url, { headers, signal: connection.signal, cache: 'no-store' });
    if (!response.ok || !response.body) throw new ApiError(response.status, await readJson(response));
    onOpen();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const parse = eventStreamParser(onEvent);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      stillAlive();
      parse(value);
    }
  } finally {
    clearTimeout(idleTimer);
    signal.removeEventListener('abort', abort);
  }
}

/**
 * Splits event-stream text, fed in chunks, into events (the HTML standard's rules; comments skipped).
 * @param {(event: StreamEvent) => void} onEvent
 * @returns {(chunk: string) => void}
 */
export function eventStreamParser(onEvent) {
  let pending = '';
  /** @type {string | undefined} */
  let id;
  let type = '';
  /** @type {string[]} */
  let data = [];
  /** @param {string} line */
  const takeLine = (line) => {
    if (line === '') {
      if (data.length > 0) onEvent({ id, type: type || 'message', data: data.join('\n') });
      type = '';
      data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') data.push(value);
    else if (field === 'event') type = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
  };
  return (chunk) => {
    const lines = (pending + chunk).split(/\r\n|\r|\n/);
    pending = lines.pop() ?? '';
    lines.forEach(takeLine);
  };
}

/** @typedef {Node | string | null | undefined | false} Child */

/**
 * `h('li', {class: 'x', onclick: fn}, 'text', child)`: strings become text nodes, `on…` become
 * listeners, null/undefined/false are left out.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>} [attributes]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat())
    if (child !== undefined && child !== null && child !== false) element.append(child);
  return element;
}

/**
 * The element with this id, of this type: a page that lost an element fails here, loudly.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T }} type
 * @returns {T}
 */
export function byId(id, type) {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`The page has no ${type.name} #${id}`);
  return element;
}

/**
 * A person-readable message for an error thrown by api() or fetch().
 * @param {unknown} error
 */
export function describeError(error) {
  if (error instanceof ApiError) return error.field ? `${error.message} (${error.field})` : error.message;
  return `The service could not be reached: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * `12:04` today, `21 Nov 12:04` otherwise.
 * @param {string | null} value
 */
export function formatTime(value) {
  if (!value) return '';
  const date = new Date(value);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString([], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}
