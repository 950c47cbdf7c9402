import { createHmac, randomBytes } from 'node:crypto';

/** Standard Webhooks symmetric secrets: `whsec_` + base64 of 24 to 64 random bytes. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
const GENERATED_SECRET_BYTES = 32;
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;

export const WEBHOOK_SECRET_FORMAT = `"${WEBHOOK_SECRET_PREFIX}" followed by the base64 of ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} random bytes`;

export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(GENERATED_SECRET_BYTES).toString('base64');
}

/** The HMAC key a `whsec_` secret stands for, or undefined when the secret is not in that format. */
export function webhookSigningKey(secret: string): Buffer | undefined {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) return undefined;
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  const key = Buffer.from(encoded, 'base64');
  // Buffer.from skips what is not base64; only a canonical encoding round-trips.
  if (key.toString('base64') !== encoded) return undefined;
  return key.length >= MIN_SECRET_BYTES && key.length <= MAX_SECRET_BYTES ? key : undefined;
}

/** The `webhook-signature` header: `v1,` + base64 HMAC-SHA256 of `<id>.<timestamp>.<body>`. */
export function signWebhook(key: Buffer, webhookId: string, timestampSeconds: number, body: string): string {
  const digest = createHmac('sha256', key).update(`${webhookId}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${digest}`;
}
