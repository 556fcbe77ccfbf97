import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { OptionsError, parseOptions } from './options.js';

const seed = () => 1234;

describe(parseOptions.name, () => {
  it('takes flags over the environment, with defaults for the rest', () => {
    const options = parseOptions(
      ['--url', 'http://lumen:4000', '--days', '0', '--no-live'],
      { LUMEN_URL: 'http://other', LUMEN_ADMIN_KEY: 'lmn_admin' },
      '/nowhere',
      seed,
    );
    expect(options).toEqual({
      url: 'http://lumen:4000',
      adminKey: 'lmn_admin',
      days: 0,
      callsPerDay: 2000,
      live: false,
      liveCallsPerMinute: 30,
      liveMinutes: null,
      seed: 1234,
    });
  });

  it('finds the admin key Lumen wrote on its first run', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lumen-demo-'));
    mkdirSync(path.join(root, '.data'));
    writeFileSync(path.join(root, '.data', 'admin-key'), 'lmn_first_run\n');
    expect(parseOptions([], {}, root, seed)).toMatchObject({ adminKey: 'lmn_first_run', url: 'http://localhost:4000' });
  });

  it('refuses a missing key, a bad number and an unknown flag', () => {
    expect(() => parseOptions([], {}, '/nowhere', seed)).toThrow(OptionsError);
    expect(() => parseOptions(['--rate', 'fast'], { LUMEN_ADMIN_KEY: 'k' }, '/nowhere', seed)).toThrow(/--rate/);
    expect(() => parseOptions(['--turbo'], { LUMEN_ADMIN_KEY: 'k' }, '/nowhere', seed)).toThrow();
    expect(parseOptions(['--help'], {}, '/nowhere', seed)).toBe('help');
  });
});
