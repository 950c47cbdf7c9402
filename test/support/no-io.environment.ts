import NodeEnvironment from 'jest-environment-node';
import childProcess from 'node:child_process';
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';

interface Forbidden {
  owner: object;
  methods: string[];
  action: string;
}

const nameQueries = (resolver: object) =>
  Object.keys(resolver).filter((name) => /^(lookup|resolve|reverse)/.test(name));

/** Everything that reaches outside the process: sockets, name resolution, child processes. */
const FORBIDDEN: Forbidden[] = [
  { owner: net.Socket.prototype, methods: ['connect'], action: 'connect to' },
  { owner: net.Server.prototype, methods: ['listen'], action: 'listen on' },
  { owner: dgram.Socket.prototype, methods: ['bind', 'send'], action: 'use a UDP socket on' },
  { owner: dns, methods: nameQueries(dns), action: 'resolve' },
  { owner: dns.promises, methods: nameQueries(dns.promises), action: 'resolve' },
  {
    owner: childProcess,
    methods: ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'],
    action: 'start',
  },
];

/** The host and port, path, name or command a forbidden call was given. */
function targetOf(args: unknown[]): string {
  // net.connect() hands Socket#connect its arguments already normalized into one array.
  const [first, second] = Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  if (typeof first === 'number') return `${typeof second === 'string' ? second : 'localhost'}:${first}`;
  if (first && typeof first === 'object') {
    const { host, port, path } = first as { host?: string; port?: number; path?: string };
    return path ?? `${host ?? 'localhost'}:${port}`;
  }
  return String(first);
}

/**
 * The unit tier's environment: a spec that opens a socket, listens, resolves a name or starts a
 * process fails, even when the code under test swallows the error, and is told which tier it needs.
 */
export default class NoIoEnvironment extends NodeEnvironment {
  private readonly violations: Error[] = [];
  private readonly restorers: (() => void)[] = [];

  override async setup(): Promise<void> {
    await super.setup();
    for (const { owner, methods, action } of FORBIDDEN) {
      for (const method of methods) this.forbid(owner, method, action);
    }
  }

  override async teardown(): Promise<void> {
    // The patched modules are the worker's own, shared with the next test file, which may be medium or e2e.
    for (const restore of this.restorers.splice(0)) restore();
    await super.teardown();
  }

  /** Fails the test during which (or before which, in a hook) a forbidden call was made, had it not failed yet. */
  handleTestEvent(event: { name: string; test?: { errors: unknown[] } }): void {
    if (event.name !== 'test_done') return;
    const violations = this.violations.splice(0);
    if (event.test!.errors.length === 0) event.test!.errors.push(...violations);
  }

  private forbid(owner: object, method: string, action: string): void {
    const methods = owner as Record<string, unknown>;
    const original = methods[method];
    const refuse = (...args: unknown[]) => {
      const violation = new Error(
        `A unit spec does no I/O, but this one tried to ${action} ${targetOf(args)} (${method}). ` +
          'Name it *.medium-spec.ts (real Postgres, local fake servers) or *.e2e-spec.ts (the app over HTTP).',
      );
      // The stack starts at the caller, so jest shows the line of the spec or code that made the call.
      Error.captureStackTrace(violation, refuse);
      this.violations.push(violation);
      throw violation;
    };
    methods[method] = refuse;
    this.restorers.push(() => (methods[method] = original));
  }
}
