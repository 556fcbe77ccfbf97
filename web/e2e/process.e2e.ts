import { describe, expect, it } from 'vitest';
import { startLumenProcess } from './support/lumen-process';

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

  it('refuses to start with a bad setting and names it', async () => {
    await expect(startLumenProcess({ PORT: 'eighty' })).rejects.toThrow(/PORT/);
  });
});
