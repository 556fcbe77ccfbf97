import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import type { DemoOptions } from './run.js';

export const USAGE = `Usage: pnpm demo [options]

Sends realistic LLM traffic to a running Lumen through its public GraphQL API.

  --url <url>          Lumen's address (env LUMEN_URL; default http://localhost:4000)
  --admin-key <key>    an ADMIN key (env LUMEN_ADMIN_KEY; default: the key in ./.data/admin-key)
  --days <n>           days of history to send first (default 3; 0 for none)
  --per-day <n>        average calls per day in the history (default 2000)
  --rate <n>           live calls per minute (default 30)
  --minutes <n>        stop the live trickle after n minutes (default: run until Ctrl-C)
  --no-live            send the history only
  --seed <n>           repeat a run exactly (default: random, printed)
  --help               show this text
`;

export class OptionsError extends Error {}

function positive(name: string, value: string | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0 || (!allowZero && number === 0))
    throw new OptionsError(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, not "${value}"`);
  return number;
}

/** The admin key Lumen wrote on its first run, when no key is given. */
function storedAdminKey(env: NodeJS.ProcessEnv, root: string): string | undefined {
  const file = path.join(env.DATA_DIR ? path.resolve(root, env.DATA_DIR) : path.join(root, '.data'), 'admin-key');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}

/** Reads flags, then environment, then defaults; `root` is where `pnpm demo` was started. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv, root: string, randomSeed: () => number): DemoOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      'admin-key': { type: 'string' },
      days: { type: 'string' },
      'per-day': { type: 'string' },
      rate: { type: 'string' },
      minutes: { type: 'string' },
      'no-live': { type: 'boolean' },
      seed: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const adminKey = values['admin-key'] ?? env.LUMEN_ADMIN_KEY ?? storedAdminKey(env, root);
  if (!adminKey)
    throw new OptionsError(
      'No admin key: pass --admin-key, set LUMEN_ADMIN_KEY, or run from the directory whose .data/admin-key Lumen wrote.',
    );
  const url = values.url ?? env.LUMEN_URL ?? 'http://localhost:4000';
  if (!/^https?:\/\//.test(url)) throw new OptionsError(`--url must start with http:// or https://, not "${url}"`);
  return {
    url,
    adminKey,
    days: positive('days', values.days, 3, true),
    callsPerDay: positive('per-day', values['per-day'], 2000),
    live: !values['no-live'],
    liveCallsPerMinute: positive('rate', values.rate, 30),
    liveMinutes: values.minutes === undefined ? null : positive('minutes', values.minutes, 0),
    seed: values.seed === undefined ? randomSeed() : Math.trunc(positive('seed', values.seed, 0, true)),
  };
}
