import { createHash, randomBytes } from 'node:crypto';

/** A new operator API token: shown once, stored only as its hash. */
export function newOperatorToken(): { token: string; hash: string } {
  const token = `op_${randomBytes(24).toString('base64url')}`;
  return { token, hash: hashOperatorToken(token) };
}

/** Tokens are long random strings, so a plain SHA-256 (no salt, no stretching) is enough and allows lookup by hash. */
export function hashOperatorToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
