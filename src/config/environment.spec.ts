import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveAppConfig } from './app-config';
import { Environment, InvalidEnvironmentError, parseEnvironment } from './environment';

const VALID_SECRETS_KEY = '0123456789abcdef'.repeat(4);
const VALID_ADMIN_TOKEN = 'an-admin-token-of-at-least-24-chars';

/** Runs `parse` expecting an InvalidEnvironmentError, and returns it. */
function invalid(source: NodeJS.ProcessEnv): InvalidEnvironmentError {
  try {
    parseEnvironment(source);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    return error as InvalidEnvironmentError;
  }
  throw new Error(`parseEnvironment accepted ${JSON.stringify(source)}`);
}

describe(parseEnvironment.name, () => {
  it('applies the documented defaults to an empty environment', () => {
    const sut = parseEnvironment({});

    expect(sut).toBeInstanceOf(Environment);
    expect(sut).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      DATA_DIR: '.data',
      EMBEDDED_POSTGRES_PORT: 54329,
      HTTP_BODY_LIMIT_BYTES: 4 * 1024 * 1024,
      ATTACHMENT_MAX_BYTES: 25 * 1024 * 1024,
      PROVIDER_HTTP_TIMEOUT_MS: 10_000,
      OUTBOUND_MAX_ATTEMPTS: 8,
      JOB_MAX_ATTEMPTS: 6,
      WORKER_POLL_INTERVAL_MS: 500,
      LOG_LEVEL: 'log',
      SERVICE_ROLE: 'all',
    });
    expect(sut.DATABASE_URL).toBeUndefined();
    expect(sut.ADMIN_TOKEN).toBeUndefined();
    expect(sut.SECRETS_KEY).toBeUndefined();
    expect(sut.PUBLIC_URL).toBeUndefined();
  });

  it('treats empty strings as unset', () => {
    const sut = parseEnvironment({ PORT: '', DATABASE_URL: '', SECRETS_KEY: '' });

    expect(sut.PORT).toBe(3000);
    expect(sut.DATABASE_URL).toBeUndefined();
    expect(sut.SECRETS_KEY).toBeUndefined();
  });

  it('parses numbers from their string form and keeps valid strings', () => {
    const sut = parseEnvironment({
      PORT: '8080',
      EMBEDDED_POSTGRES_PORT: '15432',
      HTTP_BODY_LIMIT_BYTES: '2048',
      ATTACHMENT_MAX_BYTES: '4096',
      PROVIDER_HTTP_TIMEOUT_MS: '250',
      OUTBOUND_MAX_ATTEMPTS: '3',
      JOB_MAX_ATTEMPTS: '2',
      WORKER_POLL_INTERVAL_MS: '50',
      DATABASE_URL: 'postgresql://user:pw@db.internal:5432/omni',
      SECRETS_KEY: VALID_SECRETS_KEY,
      ADMIN_TOKEN: VALID_ADMIN_TOKEN,
      PUBLIC_URL: 'https://chat.example.com',
      LOG_LEVEL: 'debug',
      NODE_ENV: 'test',
    });

    expect(sut).toMatchObject({
      PORT: 8080,
      EMBEDDED_POSTGRES_PORT: 15432,
      HTTP_BODY_LIMIT_BYTES: 2048,
      ATTACHMENT_MAX_BYTES: 4096,
      PROVIDER_HTTP_TIMEOUT_MS: 250,
      OUTBOUND_MAX_ATTEMPTS: 3,
      JOB_MAX_ATTEMPTS: 2,
      WORKER_POLL_INTERVAL_MS: 50,
      DATABASE_URL: 'postgresql://user:pw@db.internal:5432/omni',
      SECRETS_KEY: VALID_SECRETS_KEY,
      ADMIN_TOKEN: VALID_ADMIN_TOKEN,
      PUBLIC_URL: 'https://chat.example.com',
      LOG_LEVEL: 'debug',
      NODE_ENV: 'test',
    });
    expect(typeof sut.PORT).toBe('number');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['SECRETS_KEY', 'abc123'],
    ['SECRETS_KEY', 'z'.repeat(64)],
    ['SECRETS_KEY', 'a'.repeat(63)],
    ['DATABASE_URL', 'mysql://root@localhost/omni'],
    ['ADMIN_TOKEN', 'too-short'],
    ['PUBLIC_URL', 'ftp://chat.example.com'],
    ['LOG_LEVEL', 'loud'],
    ['NODE_ENV', 'staging'],
    ['WORKER_POLL_INTERVAL_MS', '5'],
    ['SERVICE_ROLE', 'both'],
  ])('refuses %s=%s with an error that names the variable', (name, value) => {
    const error = invalid({ [name]: value });

    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(new RegExp(`^${name}: `));
    expect(error.message).toContain(name);
  });

  it('tells a person that a non-numeric PORT must be an integer, not that it is too large', () => {
    const error = invalid({ PORT: 'abc' });

    expect(error.problems).toEqual([expect.stringMatching(/^PORT: .*integer/)]);
  });

  it('names every bad variable in one error, not just the first', () => {
    const error = invalid({ PORT: 'abc', SECRETS_KEY: 'not-hex', DATABASE_URL: 'mysql://root@localhost/omni' });

    expect(error.problems).toHaveLength(3);
    for (const name of ['PORT', 'SECRETS_KEY', 'DATABASE_URL']) {
      expect(error.problems.some((problem) => problem.startsWith(`${name}: `))).toBe(true);
      expect(error.message).toContain(name);
    }
  });

  it('names each setting production requires when none is set', () => {
    const error = invalid({ NODE_ENV: 'production' });

    expect(error.problems).toEqual([
      'DATABASE_URL is required in production',
      'ADMIN_TOKEN is required in production',
      'SECRETS_KEY is required in production',
      'PUBLIC_URL is required in production',
    ]);
  });

  it.each(['DATABASE_URL', 'ADMIN_TOKEN', 'SECRETS_KEY', 'PUBLIC_URL'])(
    'in production names %s alone when only it is missing',
    (missing) => {
      const complete: NodeJS.ProcessEnv = {
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://omni@db:5432/omni',
        ADMIN_TOKEN: VALID_ADMIN_TOKEN,
        SECRETS_KEY: VALID_SECRETS_KEY,
        PUBLIC_URL: 'https://chat.example.com',
      };
      expect(() => parseEnvironment(complete)).not.toThrow();

      const error = invalid({ ...complete, [missing]: undefined });

      expect(error.problems).toEqual([`${missing} is required in production`]);
    },
  );
});

describe(resolveAppConfig.name, () => {
  let root: string;
  let dataDir: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'omni-config-'));
    dataDir = join(root, 'data');
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('generates the admin token and secrets key into DATA_DIR, readable by the owner only', () => {
    const sut = resolveAppConfig(parseEnvironment({ DATA_DIR: dataDir }));

    const tokenFile = join(dataDir, 'admin-token');
    const keyFile = join(dataDir, 'secrets.key');
    expect(sut.generatedSecretFiles).toEqual([tokenFile, keyFile]);
    expect(sut.dataDir).toBe(dataDir);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(sut.adminToken).toBe(readFileSync(tokenFile, 'utf8').trim());
    expect(sut.adminToken.length).toBeGreaterThanOrEqual(24);
    expect(readFileSync(keyFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(sut.secretsKey.toString('hex')).toBe(readFileSync(keyFile, 'utf8').trim());
    expect(sut.secretsKey).toHaveLength(32);
    expect(sut.publicUrl).toBe('http://localhost:3000');
  });

  it('reuses the generated secrets on the next start', () => {
    const first = resolveAppConfig(parseEnvironment({ DATA_DIR: dataDir }));

    const sut = resolveAppConfig(parseEnvironment({ DATA_DIR: dataDir }));

    expect(sut.adminToken).toBe(first.adminToken);
    expect(sut.secretsKey.equals(first.secretsKey)).toBe(true);
    expect(sut.generatedSecretFiles).toEqual([]);
  });

  it('uses ADMIN_TOKEN and SECRETS_KEY from the environment and writes nothing', () => {
    const sut = resolveAppConfig(
      parseEnvironment({
        DATA_DIR: dataDir,
        ADMIN_TOKEN: VALID_ADMIN_TOKEN,
        SECRETS_KEY: VALID_SECRETS_KEY,
        PUBLIC_URL: 'https://chat.example.com/',
      }),
    );

    expect(sut.adminToken).toBe(VALID_ADMIN_TOKEN);
    expect(sut.secretsKey.toString('hex')).toBe(VALID_SECRETS_KEY);
    expect(sut.publicUrl).toBe('https://chat.example.com');
    expect(sut.generatedSecretFiles).toEqual([]);
    expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
  });
});
