import { isIP, BlockList } from 'node:net';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/**
 * Addresses a webhook may not reach unless WEBHOOK_ALLOW_PRIVATE=true: loopback, private networks,
 * link-local (cloud metadata services live at 169.254.169.254), carrier-grade NAT, multicast, reserved
 * and documentation ranges. A webhook URL is chosen by an ADMIN, but its responses are reported back
 * (testWebhook, lastError), so an open door to the internal network would let a key probe it.
 */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], ['::1', 128], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
] as const) NON_PUBLIC.addSubnet(network, prefix, 'ipv6');

/** Whether an IP address is on the public internet (IPv4 inside IPv6, as ::ffff:a.b.c.d, is judged as IPv4). */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPublicAddress(mapped[1]!);
  const family = isIP(address);
  if (family === 0) return false;
  return !NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class WebhookUrlError extends Error {}

/**
 * Checks a webhook URL where it is given: http or https, no credentials in it, and (unless private
 * addresses are allowed) not a literal private address or localhost. Names are resolved and checked
 * again on every call (webhook.sender.ts), so a name that later points inside is refused then.
 */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): URL {
  const text = raw.trim();
  if (text.length > MAX_WEBHOOK_URL_LENGTH) throw new WebhookUrlError(`must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookUrlError('is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebhookUrlError('must be an http or https URL');
  if (url.username || url.password) throw new WebhookUrlError('must not contain a user name or password');
  if (!allowPrivate) {
    const host = hostOf(url);
    if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && !isPublicAddress(host))) {
      throw new WebhookUrlError(`points to a private or local address (${host}); set WEBHOOK_ALLOW_PRIVATE=true to allow it`);
    }
  }
  return url;
}

/** The host without IPv6 brackets, in lower case. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/**
 * A webhook URL as shown to keys below ADMIN: its origin only, since many receivers (chat incoming
 * webhooks) take the token in the path or query, which would let whoever reads it post there.
 */
export function maskWebhookUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname === '/' && !parsed.search ? parsed.origin : `${parsed.origin}/…`;
  } catch {
    return '…';
  }
}
