import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-signature-256';

/** `sha256=<hex HMAC-SHA256 of body>`, the value of the X-Signature-256 header. */
export function signBody(body: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Constant-time check of an X-Signature-256 header against the raw body. */
export function isValidSignature(header: unknown, body: Buffer, secret: string): boolean {
  if (typeof header !== 'string' || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  return timingSafeEqual(Buffer.from(header.toLowerCase()), Buffer.from(signBody(body, secret)));
}
