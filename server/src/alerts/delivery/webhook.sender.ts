import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

import { SIGNATURE_HEADER, signWebhook, standardWebhookHeaders, TIMESTAMP_HEADER } from './webhook.signature.js';
import { checkWebhookUrl, isPublicAddress, WebhookUrlError } from './webhook.url-guard.js';

/** How one attempt at a notification went. `retry: false` when another attempt cannot help. */
export interface SendOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  retry: boolean;
  /** The receiver answered 410 Gone (or its provider's equivalent): its channel is disabled. */
  gone?: boolean;
  /** What the receiver said (the start of its body), for the channel test. */
  answer?: string | null;
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

/** What a receiver answered: its status and the start of its body; or why there was no answer. */
export interface HttpAnswer {
  statusCode: number | null;
  /** The first ANSWER_BODY_CHARS characters of the body. */
  text: string;
  /** Set when there was no answer (network error, timeout, refused address, interrupted). */
  error: string | null;
  /** false when another attempt cannot help (a refused address). */
  retry: boolean;
  durationMs: number;
}

const ANSWER_BODY_CHARS = 2000;

/**
 * Makes one JSON POST and reads the answer (its first 2,000 characters: enough for the providers'
 * JSON error answers). Never throws; redirects are not followed; every address is checked by the
 * SSRF guard unless private addresses are allowed.
 */
export function postJson(
  call: { url: string; body: string; headers?: Record<string, string> },
  options: WebhookOptions,
): Promise<HttpAnswer> {
  const started = Date.now();
  let url: URL;
  try {
    url = checkWebhookUrl(call.url, options.allowPrivate);
  } catch (error) {
    return Promise.resolve({ statusCode: null, text: '', error: (error as Error).message, retry: false, durationMs: 0 });
  }
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(call.body)),
    'user-agent': 'Lumen-Webhook/1',
    ...call.headers,
  };
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: Omit<HttpAnswer, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      request.destroy();
      resolve({ ...answer, durationMs: Date.now() - started });
    };
    const onAbort = () => finish({ statusCode: null, text: '', error: 'interrupted: the server is stopping', retry: true });
    const request = transport.request(
      url,
      { method: 'POST', headers, agent: false, lookup: options.allowPrivate ? undefined : publicLookup },
      (response) => {
        const status = response.statusCode ?? 0;
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length < ANSWER_BODY_CHARS) text += chunk;
        });
        const done = () => finish({ statusCode: status, text: text.slice(0, ANSWER_BODY_CHARS), error: null, retry: true });
        response.on('end', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(
      () => finish({ statusCode: null, text: '', error: `no answer within ${options.timeoutMs} ms`, retry: true }),
      options.timeoutMs,
    );
    request.on('error', (error) =>
      finish({ statusCode: null, text: '', error: error.message, retry: !(error instanceof WebhookUrlError) }),
    );
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort);
    request.end(call.body);
  });
}

/**
 * Makes one signed POST to a generic webhook: X-Lumen-* headers and the Standard Webhooks headers
 * (webhook-id, webhook-timestamp, webhook-signature). A 2xx answer is success; 410 Gone says the
 * receiver is gone for good (not retried; its channel is disabled); anything else is retried.
 */
export async function sendWebhook(call: WebhookCall, options: WebhookOptions): Promise<SendOutcome & { durationMs: number }> {
  const timestamp = Math.floor(Date.now() / 1000);
  const answer = await postJson(
    {
      url: call.url,
      body: call.body,
      headers: {
        'content-type': 'application/json',
        'x-lumen-event': call.event,
        'x-lumen-delivery': call.deliveryId,
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(call.secret, timestamp, call.body),
        ...standardWebhookHeaders(call.secret, call.deliveryId, timestamp, call.body),
      },
    },
    options,
  );
  return { ...judgeHttpAnswer(answer), durationMs: answer.durationMs };
}

/** The plain reading of an answer: 2xx is success, 410 Gone is final and disables, no answer or any other status is retried. */
export function judgeHttpAnswer(answer: HttpAnswer): SendOutcome {
  if (answer.statusCode === null) return { ok: false, statusCode: null, error: answer.error, retry: answer.retry, answer: null };
  const status = answer.statusCode;
  const body = answer.text.trim();
  if (status >= 200 && status < 300) return { ok: true, statusCode: status, error: null, retry: false, answer: body || null };
  const error = `HTTP ${status}${body ? `: ${body.slice(0, ERROR_BODY_CHARS)}` : ''}`;
  if (status === 410) return { ok: false, statusCode: status, error, retry: false, gone: true, answer: body || null };
  return { ok: false, statusCode: status, error, retry: true, answer: body || null };
}
