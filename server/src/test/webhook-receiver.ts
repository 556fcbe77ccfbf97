import http, { type IncomingHttpHeaders } from 'node:http';

import { deferred, type Deferred } from './deferred.js';

export interface ReceivedCall {
  /** The path and query string the call was made to. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
  /** Date.now() when the request arrived. */
  at: number;
}

/** How the receiver answers a call: a status code, a status with a JSON or text body, or 'hang' to never answer. */
export type Answer = number | 'hang' | { status: number; body: unknown };

export interface WebhookReceiver {
  url: string;
  calls: ReceivedCall[];
  /** Resolves once `count` calls have arrived (counting those already there). */
  waitForCalls(count: number): Promise<ReceivedCall[]>;
  close(): Promise<void>;
}

/** A local HTTP server standing in for a webhook endpoint; `answer` decides each response. */
export async function startWebhookReceiver(answer: (call: ReceivedCall, index: number) => Answer = () => 200): Promise<WebhookReceiver> {
  const calls: ReceivedCall[] = [];
  const waiting: { count: number; done: Deferred<ReceivedCall[]> }[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const call: ReceivedCall = {
        url: request.url ?? '/',
        headers: request.headers,
        body,
        json: JSON.parse(body) as Record<string, unknown>,
        at: Date.now(),
      };
      calls.push(call);
      const reply = answer(call, calls.length - 1);
      if (typeof reply === 'number')
        response.writeHead(reply, { 'content-type': 'text/plain' }).end(reply >= 400 ? 'receiver says no' : 'ok');
      else if (reply !== 'hang') {
        const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
        response.writeHead(reply.status, { 'content-type': typeof reply.body === 'string' ? 'text/plain' : 'application/json' }).end(text);
      }
      for (const wait of waiting.filter((w) => calls.length >= w.count)) wait.done.resolve(calls.slice(0, wait.count));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    calls,
    waitForCalls(count) {
      if (calls.length >= count) return Promise.resolve(calls.slice(0, count));
      const done = deferred<ReceivedCall[]>();
      waiting.push({ count, done });
      return done.promise;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
