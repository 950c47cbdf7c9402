import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { agentPageBaseline } from './agent-page.baseline';
import { BASELINE_POOL_SIZE, BaselineFactory, BaselineHandler } from './baseline-handler';
import { insertMessageBaseline } from './insert-message.baseline';
import { selectPageBaseline } from './select-page.baseline';

/** Forked by baseline-server.ts: argv is the baseline's name, the database URL and its JSON config. */
const BASELINES: Record<string, BaselineFactory> = {
  'insert-message': insertMessageBaseline,
  'select-page': selectPageBaseline,
  'agent-page': agentPageBaseline,
};

function serve(handler: BaselineHandler): void {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      handler(request.url ?? '/', Buffer.concat(chunks).toString('utf8'), request.headers.authorization ?? '').then(
        ({ status, body }) => {
          response.writeHead(status, { 'content-type': 'application/json' });
          response.end(body);
        },
        (error: unknown) => {
          response.writeHead(500, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: String(error) }));
        },
      );
    });
  });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
}

const [name, databaseUrl, config] = process.argv.slice(2);
const db = new Pool({ connectionString: databaseUrl, max: BASELINE_POOL_SIZE });
serve(BASELINES[name](db, JSON.parse(config)));
