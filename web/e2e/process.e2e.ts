import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { startLumenProcess } from '@lumen/testkit';
import { describe, expect, it } from 'vitest';

describe('the built server process', () => {
  it('serves the web app, the API and /healthz on one port', async () => {
    const lumen = await startLumenProcess();
    try {
      const page = await fetch(`${lumen.url}/logs`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="app">');
      const api = await fetch(`${lumen.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${lumen.adminKey}` },
        body: JSON.stringify({ query: '{ viewer { role } }' }),
      });
      expect(await api.json()).toEqual({ data: { viewer: { role: 'ADMIN' } } });
      expect((await fetch(`${lumen.url}/healthz`)).status).toBe(200);
    } finally {
      await lumen.stop();
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    const lumen = await startLumenProcess();
    expect(await lumen.stop(15_000)).toBe(0);
    expect(lumen.output()).toContain('Lumen stopped');
  });

  it('writes every line of its output as one JSON object, even for a refused websocket frame', async () => {
    const lumen = await startLumenProcess({ WS_MAX_MESSAGE_BYTES: '2048' });
    await sendOversizedFrame(lumen.url, 4096);
    expect(await lumen.stop(15_000)).toBe(0);
    const lines = lumen
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(lumen.output()).toContain('websocket closed: the client sent a message the server refuses');
  });

  it('refuses to start with a bad setting and names it', async () => {
    await expect(startLumenProcess({ PORT: 'eighty' })).rejects.toThrow(/PORT/);
  });
});

/** Opens a graphql-ws socket without authenticating and sends one text frame of `size` bytes. */
function sendOversizedFrame(baseUrl: string, size: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const upgrade = request(`${baseUrl}/graphql`, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        'sec-websocket-protocol': 'graphql-transport-ws',
      },
    });
    upgrade.on('upgrade', (_response, socket) => {
      const mask = randomBytes(4);
      const payload = Buffer.alloc(size, 'x').map((byte, i) => byte ^ mask[i % 4]!);
      const header = Buffer.from([0x81, 0x80 | 126, size >> 8, size & 0xff]);
      // The server answers with a close frame (1009); that is all this client waits for.
      socket.once('data', () => {
        socket.destroy();
        resolve();
      });
      socket.on('error', () => resolve());
      socket.write(Buffer.concat([header, mask, payload]));
    });
    upgrade.on('error', reject);
    upgrade.end();
  });
}
