import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hub-signature-256';

/** `sha256=<hex HMAC-SHA256>` of the body keyed with the App Secret, as Meta sends it in X-Hub-Signature-256. */
export function signBody(body: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/**
 * Constant-time check of X-Hub-Signature-256 against the raw bytes as received: Meta signs its
 * `\uXXXX`-escaped JSON, so re-serialised or decoded text would not match.
 */
export function isValidSignature(header: unknown, rawBody: Buffer, appSecret: string): boolean {
  if (typeof header !== 'string' || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  return timingSafeEqual(Buffer.from(header.toLowerCase()), Buffer.from(signBody(rawBody, appSecret)));
}
