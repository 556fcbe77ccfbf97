import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { deferred, type Deferred } from './deferred.js';

/**
 * What the proxy does with one request: answer it itself, pass it on to Lumen, pass it on and then
 * answer 503 anyway (the client cannot know the batch was stored), or never answer.
 */
export type ProxyStep = { reply: number; headers?: Record<string, string>; body?: unknown } | 'forward' | 'forward-then-fail' | 'hang';

export interface ProxiedRequest {
  body: { query: string; variables: Record<string, unknown> };
  /** The eventIds of an ingestLogs batch, in order. */
  eventIds: string[];
}

export interface ScriptedProxy {
  url: string;
  requests: ProxiedRequest[];
  /** Resolves once `count` requests have arrived. */
  received(count: number): Promise<void>;
  close(): Promise<void>;
}

/** An HTTP proxy in front of Lumen that follows `script` for its first requests, then forwards. */
export async function startScriptedProxy(lumenUrl: string, script: ProxyStep[] = []): Promise<ScriptedProxy> {
  const requests: ProxiedRequest[] = [];
  const waiters: { count: number; done: Deferred<void> }[] = [];
  const hanging: ServerResponse[] = [];

  const server = createServer(async (request, response) => {
    const raw = await readBody(request);
    const body = JSON.parse(raw) as ProxiedRequest['body'];
    const logs = (body.variables?.logs ?? []) as { eventId?: string }[];
    requests.push({ body, eventIds: logs.map((log) => log.eventId ?? '') });
    const step = script[requests.length - 1] ?? 'forward';
    try {
      if (step === 'hang') hanging.push(response);
      else if (typeof step === 'object')
        reply(response, step.reply, step.headers ?? {}, step.body ?? { errors: [{ message: `HTTP ${step.reply}` }] });
      else {
        const upstream = await forward(lumenUrl, request, raw);
        if (step === 'forward-then-fail')
          reply(
            response,
            503,
            { 'retry-after': '0' },
            { errors: [{ message: 'lost on the way back', extensions: { code: 'SERVICE_UNAVAILABLE' } }] },
          );
        else reply(response, upstream.status, {}, upstream.body);
      }
    } finally {
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) waiter.done.resolve();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    received(count) {
      if (requests.length >= count) return Promise.resolve();
      const done = deferred();
      waiters.push({ count, done });
      return done.promise;
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function forward(lumenUrl: string, request: IncomingMessage, body: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${lumenUrl}${request.url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: String(request.headers.authorization ?? '') },
    body,
  });
  return { status: response.status, body: await response.json() };
}

function reply(response: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (data += chunk));
    request.on('end', () => resolve(data));
    request.on('error', reject);
  });
}
