import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';

import { LumenApiError, LumenClient } from './lumen-client.js';

let server: Server | undefined;

/** A stand-in for Lumen that answers each request with the next of the given replies. */
async function lumenAnswering(replies: Array<{ status: number; body: unknown; headers?: Record<string, string> }>) {
  const seen: Array<{ authorization?: string; body: string }> = [];
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({ authorization: request.headers.authorization, body });
      const reply = replies.shift() ?? { status: 500, body: {} };
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      response.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe(LumenClient.name, () => {
  it('sends the key as a bearer token and comes back when Lumen is busy', async () => {
    const lumen = await lumenAnswering([
      { status: 503, body: { errors: [{ message: 'database unavailable' }] } },
      { status: 200, body: { data: { ingestLogs: { accepted: 1, duplicates: 0, rejected: [] } } } },
    ]);
    const outcome = await new LumenClient(lumen.url).ingestLogs('lmn_ingest', []);
    expect(outcome).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(lumen.seen).toHaveLength(2);
    expect(lumen.seen[0]!.authorization).toBe('Bearer lmn_ingest');
  });

  it('reports a refusal with its code', async () => {
    const lumen = await lumenAnswering([
      { status: 401, body: { errors: [{ message: 'A valid API key is required', extensions: { code: 'UNAUTHENTICATED' } }] } },
    ]);
    const refused = new LumenClient(lumen.url).createApiKey('lmn_wrong', 'demo', 'INGEST');
    await expect(refused).rejects.toThrow(LumenApiError);
    await expect(refused).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
