import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Environment } from './environment';

/** The validated environment plus the values derived from it, injected wherever settings are read. */
export class AppConfig {
  constructor(
    readonly env: Environment,
    readonly adminToken: string,
    readonly secretsKey: Buffer,
    readonly publicUrl: string,
    /** Names of secrets generated into DATA_DIR because the environment did not set them. */
    readonly generatedSecretFiles: string[],
  ) {}

  get dataDir(): string {
    return resolve(this.env.DATA_DIR);
  }
}

/**
 * Outside production a missing ADMIN_TOKEN or SECRETS_KEY is generated once into DATA_DIR
 * (mode 0600) so that a fresh clone starts with one command; production requires both.
 */
export function resolveAppConfig(env: Environment): AppConfig {
  const generated: string[] = [];
  const dataDir = resolve(env.DATA_DIR);
  const localSecret = (file: string, create: () => string): string => {
    const path = join(dataDir, file);
    if (!existsSync(path)) {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(path, create(), { mode: 0o600 });
      generated.push(path);
    }
    return readFileSync(path, 'utf8').trim();
  };
  const adminToken = env.ADMIN_TOKEN ?? localSecret('admin-token', () => randomBytes(24).toString('base64url'));
  const secretsKeyHex = env.SECRETS_KEY ?? localSecret('secrets.key', () => randomBytes(32).toString('hex'));
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  return new AppConfig(env, adminToken, Buffer.from(secretsKeyHex, 'hex'), publicUrl, generated);
}
