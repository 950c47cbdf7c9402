import { createHmac, timingSafeEqual } from 'node:crypto';

export const HUB_SIGNATURE_HEADER = 'x-hub-signature-256';

/** `sha256=<hex HMAC-SHA256 of body>`, as Meta signs webhook POSTs with the App Secret. */
export function signHubBody(body: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/** Constant-time check of X-Hub-Signature-256 against the raw bytes received (never re-serialised JSON). */
export function isValidHubSignature(header: unknown, rawBody: Buffer, appSecret: string): boolean {
  if (typeof header !== 'string' || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  return timingSafeEqual(Buffer.from(header.toLowerCase()), Buffer.from(signHubBody(rawBody, appSecret)));
}
