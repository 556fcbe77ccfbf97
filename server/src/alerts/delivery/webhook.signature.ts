import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures. Every call carries
 *   X-Lumen-Timestamp: <unix seconds when the attempt was sent>
 *   X-Lumen-Signature: sha256=<hex HMAC-SHA256 of `${timestamp}.${body}` keyed with the rule's secret>
 * where body is the raw request body and the key is the whole secret string (with its whsec_ prefix) as
 * UTF-8. Signing the timestamp with the body lets a receiver refuse replays of old calls.
 */
export const SIGNATURE_HEADER = 'x-lumen-signature';
export const TIMESTAMP_HEADER = 'x-lumen-timestamp';

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does (the README shows the same in a few lines); used by the tests' receivers. */
export function verifyWebhook(
  secret: string,
  timestamp: string,
  body: string,
  signature: string,
  toleranceSeconds = 300,
  now = Date.now(),
): boolean {
  const seconds = Number(timestamp);
  if (!Number.isInteger(seconds) || Math.abs(now / 1000 - seconds) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, seconds, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
