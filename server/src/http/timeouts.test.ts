import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { testDatabases } from '../test/databases.js';
import { deferred } from '../test/deferred.js';
import { startTestLumen, type TestLumen } from '../test/lumen.js';

/**
 * Clients that send slowly must not hold a connection for minutes. Each case opens a raw socket and
 * waits for the server to close it; the test's own deadline is far beyond the configured timeouts.
 */
describe('slow clients', () => {
  const [database] = testDatabases();
  let sut: TestLumen;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const created = await database!.create();
    drop = created.drop;
    sut = await startTestLumen(created.config, { http: { headersTimeoutMs: 1_000, bodyIdleTimeoutMs: 1_000, requestTimeoutMs: 3_000 } });
  });
  afterAll(async () => {
    await sut?.stop();
    await drop?.();
  });

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
