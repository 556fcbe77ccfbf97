import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { testDatabases } from '../test/databases.js';
import { startTestLumen, type TestLumen } from '../test/lumen.js';

describe('the web app in production', () => {
  const [database] = testDatabases();
  let sut: TestLumen;
  let development: TestLumen;
  let drop: () => Promise<void>;
  let webDist: string;

  beforeAll(async () => {
    webDist = mkdtempSync(path.join(os.tmpdir(), 'lumen-web-'));
    mkdirSync(path.join(webDist, 'assets'));
    writeFileSync(
      path.join(webDist, 'index.html'),
      '<!doctype html><div id="app"></div><script type="module" src="/assets/app.js"></script>',
    );
    writeFileSync(path.join(webDist, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(path.join(webDist, 'assets', 'app.js.map'), '{"version":3}');
    const created = await database!.create();
    drop = created.drop;
    sut = await startTestLumen(created.config, { env: 'production', webDistDir: webDist });
    development = await startTestLumen({ kind: 'embedded', dataDir: null }, { env: 'development', webDistDir: webDist });
  });
  afterAll(async () => {
    await sut?.stop();
    await development?.stop();
    await drop?.();
    rmSync(webDist, { recursive: true, force: true });
  });

  it('sends a strict content security policy and the other browser protections with every page', async () => {
    for (const route of ['/', '/logs', '/assets/app.js']) {
      const response = await fetch(`${sut.url}${route}`);
      expect(response.status).toBe(200);
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toMatch(/script-src[^;]*unsafe/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('serves no source maps in production, and serves them in development', async () => {
    expect((await fetch(`${sut.url}/assets/app.js.map`)).status).toBe(404);
    expect((await fetch(`${development.url}/assets/app.js.map`)).status).toBe(200);
  });
});
