#!/usr/bin/env node
/**
 * Builds the server and the web app when their sources are newer than their last build, so that
 * `pnpm start` and `pnpm test` on a fresh clone build once and later runs start at once.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const packages = [
  {
    name: '@lumen/server',
    dir: 'server',
    inputs: ['src', 'package.json', 'tsconfig.json', 'tsconfig.build.json'],
    stamp: 'dist/.build-stamp',
  },
  { name: '@lumen/web', dir: 'web', inputs: ['src', 'public', 'index.html', 'package.json', 'vite.config.ts'], stamp: 'dist/.build-stamp' },
  {
    name: '@lumen/sdk',
    dir: 'packages/sdk',
    inputs: ['src', 'package.json', 'tsconfig.json', 'tsup.config.ts'],
    stamp: 'dist/.build-stamp',
  },
];

function newest(file) {
  if (!existsSync(file)) return 0;
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(file).reduce((latest, entry) => Math.max(latest, newest(path.join(file, entry))), stat.mtimeMs);
}

export function buildIfStale({ quiet = false } = {}) {
  for (const pkg of packages) {
    const dir = path.join(root, pkg.dir);
    const stamp = path.join(dir, pkg.stamp);
    const sources = Math.max(...pkg.inputs.map((input) => newest(path.join(dir, input))));
    if (existsSync(stamp) && statSync(stamp).mtimeMs >= sources) continue;
    if (!quiet) console.log(`Building ${pkg.name}…`);
    execFileSync('pnpm', ['--filter', pkg.name, 'build'], { cwd: root, stdio: quiet ? 'pipe' : 'inherit' });
    writeFileSync(stamp, new Date().toISOString());
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildIfStale();
