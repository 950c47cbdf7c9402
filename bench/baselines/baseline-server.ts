import { fork } from 'node:child_process';
import { join } from 'node:path';

export interface BaselineServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts a bare baseline server in its own process, as the service runs in its own: sharing the
 * load generator's event loop would slow the baseline down and flatter the service.
 */
export function startBaseline(name: string, databaseUrl: string, config: unknown = {}): Promise<BaselineServer> {
  const child = fork(join(__dirname, 'baseline-process.ts'), [name, databaseUrl, JSON.stringify(config)], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the ${name} baseline exited with ${code} before listening`)));
    child.once('message', (message: { port: number }) =>
      resolve({
        url: `http://127.0.0.1:${message.port}`,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      }),
    );
  });
}
