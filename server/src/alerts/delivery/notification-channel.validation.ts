import { badUserInput } from '../../graphql/errors.js';
import { AlertChannel } from './alert-channel.js';
import { PAGERDUTY_EVENTS_URL } from './channel.payloads.js';
import type { NotificationChannelInput } from './notification-channel.types.js';
import { checkWebhookUrl, WebhookUrlError } from './webhook.url-guard.js';

export const MAX_CHANNEL_NAME = 100;
export const MAX_CHANNEL_EMAILS = 50;
const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;
const PRINTABLE = /^[\x21-\x7e]{1,256}$/;
/** "whsec_" and the base64 of 16 to 64 bytes, as Standard Webhooks writes secrets. */
const STANDARD_SECRET = /^whsec_[A-Za-z0-9+/]{22,88}={0,2}$/;

/** A channel as stored. `secret`: undefined keeps the current one (on update), null removes it. */
export interface ValidChannel {
  name: string;
  kind: AlertChannel;
  url: string | null;
  secret: string | null | undefined;
  emails: string[];
  enabled: boolean;
}

/** Checks a channel at the edge; every URL passes the SSRF guard whatever the kind. */
export function validateChannel(input: NotificationChannelInput, options: { allowPrivate: boolean; creating: boolean }): ValidChannel {
  const field = (name: string) => `input.${name}`;
  const name = input.name.trim();
  if (name.length === 0 || name.length > MAX_CHANNEL_NAME) throw badUserInput(field('name'), `must be 1 to ${MAX_CHANNEL_NAME} characters`);
  if (!Object.values(AlertChannel).includes(input.kind))
    throw badUserInput(field('kind'), `must be one of ${Object.values(AlertChannel).join(', ')}`);
  const kind = input.kind;
  const enabled = input.enabled ?? true;

  if (kind === AlertChannel.EMAIL) {
    if (input.url?.trim()) throw badUserInput(field('url'), 'an EMAIL channel has no URL: give its addresses in emails');
    if (input.secret) throw badUserInput(field('secret'), 'an EMAIL channel has no secret');
    return { name, kind, url: null, secret: null, emails: emails(input.emails ?? [], field('emails')), enabled };
  }
  if (input.emails?.length) throw badUserInput(field('emails'), `only an EMAIL channel takes addresses`);
  const rawUrl = input.url?.trim() || (kind === AlertChannel.PAGERDUTY ? PAGERDUTY_EVENTS_URL : '');
  if (!rawUrl) throw badUserInput(field('url'), `is required for a ${kind} channel`);
  let url: string;
  try {
    url = checkWebhookUrl(rawUrl, options.allowPrivate).toString();
  } catch (error) {
    if (error instanceof WebhookUrlError) throw badUserInput(field('url'), error.message);
    throw error;
  }
  return { name, kind, url, secret: secret(kind, input.secret, field('secret'), options.creating), emails: [], enabled };
}

function secret(kind: AlertChannel, value: string | null | undefined, field: string, creating: boolean): string | null | undefined {
  const given = value?.trim();
  switch (kind) {
    case AlertChannel.SLACK:
    case AlertChannel.WECOM:
      if (given) throw badUserInput(field, `a ${kind} channel has no secret: its token is part of the URL`);
      return null;
    case AlertChannel.WEBHOOK:
      if (value == null || given === '') return creating ? null : undefined;
      if (!STANDARD_SECRET.test(given!))
        throw badUserInput(field, 'must be "whsec_" followed by 16 to 64 bytes in base64 (leave it out to have one generated)');
      return given;
    case AlertChannel.PAGERDUTY:
      if (value == null || given === '') {
        if (creating) throw badUserInput(field, 'the routing key of the PagerDuty service (Events API v2 integration) is required');
        return undefined;
      }
      if (!PRINTABLE.test(given!)) throw badUserInput(field, 'must be 1 to 256 printable characters without spaces');
      return given;
    case AlertChannel.FEISHU:
    case AlertChannel.DINGTALK:
      if (value == null) return creating ? null : undefined;
      if (given === '') return null;
      if (!PRINTABLE.test(given!)) throw badUserInput(field, 'must be 1 to 256 printable characters without spaces');
      return given;
    case AlertChannel.EMAIL:
      return null;
  }
}

function emails(values: string[], field: string): string[] {
  if (values.length === 0) throw badUserInput(field, 'an EMAIL channel needs at least one address');
  if (values.length > MAX_CHANNEL_EMAILS) throw badUserInput(field, `must hold at most ${MAX_CHANNEL_EMAILS} addresses`);
  const seen = new Map<string, string>();
  values.forEach((value, index) => {
    const address = value.trim();
    if (address.length > 254 || !EMAIL.test(address))
      throw badUserInput(`${field}.${index}`, `"${address.slice(0, 60)}" is not an email address`);
    if (!seen.has(address.toLowerCase())) seen.set(address.toLowerCase(), address);
  });
  return [...seen.values()];
}
