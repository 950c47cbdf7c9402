import { TEST_SERVER_URL_VAR, TEST_TEMPLATE_VAR, withServer } from './test-database';

/** Each test file drops its own database; this drops the template and stops the embedded server. */
export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env[TEST_SERVER_URL_VAR];
  const template = process.env[TEST_TEMPLATE_VAR];
  if (serverUrl && template) {
    await withServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`));
  }
  await (globalThis as { embeddedPostgres?: { stop(): Promise<void> } }).embeddedPostgres?.stop();
}
