import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook.signature.js';
import { checkWebhookUrl, isPublicAddress, WebhookUrlError } from './webhook.url-guard.js';

/** How one attempt at a notification went. `retry: false` when another attempt cannot help. */
export interface SendOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  retry: boolean;
}

export interface WebhookCall {
  url: string;
  body: string;
  secret: string;
  /** alert.fired, alert.reminder, alert.resolved or test (X-Lumen-Event). */
  event: string;
  /** The same on every attempt of one notification, so a receiver can drop repeats (X-Lumen-Delivery). */
  deliveryId: string;
}

export interface WebhookOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  signal?: AbortSignal;
}

const ERROR_BODY_CHARS = 200;

/**
 * Resolves a webhook's host and refuses it when any of its addresses is not public; the connection is
 * made to the address checked here, so a name cannot be switched to an internal address in between.
 */
export const publicLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find((entry) => !isPublicAddress(entry.address));
    if (refused) {
      const reason = new WebhookUrlError(
        `${hostname} resolves to a private or local address (${refused.address}); set WEBHOOK_ALLOW_PRIVATE=true to allow it`,
      );
      return callback(reason as NodeJS.ErrnoException, '', 0);
    }
    if (options.all) return (callback as unknown as (err: null, all: dns.LookupAddress[]) => void)(null, addresses);
    return callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/**
 * Makes one signed POST. A 2xx answer is success; anything else, no answer within the timeout, or a
 * network error is a failure whose reason is returned (never thrown). Redirects are not followed.
 */
export function sendWebhook(call: WebhookCall, options: WebhookOptions): Promise<SendOutcome & { durationMs: number }> {
  const started = Date.now();
  let url: URL;
  try {
    url = checkWebhookUrl(call.url, options.allowPrivate);
  } catch (error) {
    return Promise.resolve({ ok: false, statusCode: null, error: (error as Error).message, retry: false, durationMs: 0 });
  }
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(call.body)),
    'user-agent': 'Lumen-Webhook/1',
    'x-lumen-event': call.event,
    'x-lumen-delivery': call.deliveryId,
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signWebhook(call.secret, timestamp, call.body),
  };
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      request.destroy();
      resolve({ ...outcome, durationMs: Date.now() - started });
    };
    const onAbort = () => finish({ ok: false, statusCode: null, error: 'interrupted: the server is stopping', retry: true });
    const request = transport.request(
      url,
      { method: 'POST', headers, agent: false, lookup: options.allowPrivate ? undefined : publicLookup },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) return finish({ ok: true, statusCode: status, error: null, retry: false });
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length < ERROR_BODY_CHARS) text += chunk;
        });
        const failed = () =>
          finish({
            ok: false,
            statusCode: status,
            error: `HTTP ${status}${text.trim() ? `: ${text.trim().slice(0, ERROR_BODY_CHARS)}` : ''}`,
            retry: true,
          });
        response.on('end', failed);
        response.on('error', failed);
      },
    );
    const timer = setTimeout(
      () => finish({ ok: false, statusCode: null, error: `no answer within ${options.timeoutMs} ms`, retry: true }),
      options.timeoutMs,
    );
    request.on('error', (error) =>
      finish({ ok: false, statusCode: null, error: error.message, retry: !(error instanceof WebhookUrlError) }),
    );
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort);
    request.end(call.body);
  });
}
