import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `sha256=<hex HMAC-SHA256 of the body>`: the signature scheme of Meta's X-Hub-Signature-256 and of
 * our own custom channel's X-Signature-256.
 */
export function hmacSha256Signature(body: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Constant-time check of such a header against the raw bytes as received: providers sign what they
 * sent (Meta its `\uXXXX`-escaped JSON), so re-serialised or decoded text would not match.
 */
export function isValidHmacSha256Signature(header: unknown, rawBody: Buffer, secret: string): boolean {
  if (typeof header !== 'string' || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  return timingSafeEqual(Buffer.from(header.toLowerCase()), Buffer.from(hmacSha256Signature(rawBody, secret)));
}
