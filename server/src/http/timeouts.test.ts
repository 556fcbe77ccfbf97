import http from 'node:http';
import net from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';

import { testDatabases } from '../test/databases.js';
import { deferred } from '../test/deferred.js';
import { useTestLumen } from '../test/lumen.js';
import { bodyIdleTimeout } from './body-timeout.js';

/**
 * Clients that send slowly must not hold a connection for minutes. Each case opens a raw socket and
 * waits for the server to close it; the test's own deadline is far beyond the configured timeouts.
 */
describe('slow clients', () => {
  const [database] = testDatabases();
  const sut = useTestLumen(database!, { http: { headersTimeoutMs: 1_000, bodyIdleTimeoutMs: 1_000, requestTimeoutMs: 3_000 } });

  /** Opens a socket, runs `talk` on it, and resolves with what the server sent once it closes the connection. */
  function converse(talk: (socket: net.Socket) => void, giveUpMs = 10_000): Promise<{ closed: boolean; received: string }> {
    const done = deferred<{ closed: boolean; received: string }>();
    const socket = net.connect(Number(new URL(sut.url).port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => done.resolve({ closed: true, received }));
    socket.on('connect', () => talk(socket));
    const giveUp = setTimeout(() => {
      done.resolve({ closed: false, received });
      socket.destroy();
    }, giveUpMs);
    return done.promise.finally(() => clearTimeout(giveUp));
  }

  const head = (length: number) =>
    `POST /graphql HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nAuthorization: Bearer ${sut.adminKey}\r\nContent-Length: ${length}\r\n\r\n`;

  it('closes a connection whose headers never end', async () => {
    const result = await converse((socket) => socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\n'));
    expect(result.closed).toBe(true);
  });

  it('closes a connection whose body stops arriving', async () => {
    const result = await converse((socket) => socket.write(`${head(1000)}{"query":`));
    expect(result.closed).toBe(true);
  });

  it('closes a connection whose body trickles in too slowly to finish', async () => {
    let timer: NodeJS.Timeout | undefined;
    const result = await converse((socket) => {
      socket.write(head(1000));
      timer = setInterval(() => socket.writable && socket.write(' '), 300);
    });
    clearInterval(timer);
    expect(result.closed).toBe(true);
    expect(result.received).toMatch(/^HTTP\/1\.1 408/);
  });

  it('answers a client that sends its request at an ordinary pace', async () => {
    const body = JSON.stringify({ query: '{ viewer { role } }' });
    const result = await converse((socket) => {
      socket.write(head(body.length));
      setTimeout(() => socket.write(body.slice(0, 10)), 300);
      setTimeout(() => socket.write(body.slice(10)), 600);
    });
    expect(result.received).toContain('"role":"ADMIN"');
  });
});

describe(bodyIdleTimeout.name, () => {
  it('leaves no timer listener behind on a kept-alive connection, however many requests it carries', async () => {
    const counts: number[] = [];
    const app = express();
    app.use(bodyIdleTimeout(1_000));
    app.post('/', express.text(), (request, response) => {
      response.on('finish', () => setImmediate(() => counts.push(request.socket.listenerCount('timeout'))));
      response.send('ok');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const port = (server.address() as net.AddressInfo).port;
      for (let i = 0; i < 12; i++) {
        await new Promise<void>((resolve, reject) => {
          const request = http.request(
            { port, host: '127.0.0.1', method: 'POST', path: '/', agent, headers: { 'content-type': 'text/plain' } },
            (response) => {
              response.resume();
              response.on('end', resolve);
            },
          );
          request.on('error', reject);
          request.end('hello');
        });
      }
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      agent.destroy();
      server.close();
    }
    expect(counts).toHaveLength(12);
    expect(Math.max(...counts)).toBeLessThanOrEqual(1);
  });
});
