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

/**
 * A new secret: "whsec_" and 24 random bytes in base64, as Standard Webhooks secrets are written (secrets
 * made before held base64url; they still sign X-Lumen-Signature, and Standard Webhooks decodes them too).
 */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/**
 * The Standard Webhooks headers (https://www.standardwebhooks.com, spec 1.0): webhook-id (the same on
 * every attempt of a notification), webhook-timestamp (unix seconds) and webhook-signature
 * "v1,<base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`>" keyed with the base64-decoded part of the
 * secret after "whsec_". Receivers built with the standardwebhooks libraries verify it unchanged.
 */
export function standardWebhookHeaders(secret: string, id: string, timestamp: number, body: string): Record<string, string> {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` };
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
