/** `pnpm demo`: realistic traffic for a running Lumen (see USAGE in options.ts). */
import { LumenApiError } from './lumen-client.js';
import { OptionsError, parseOptions, USAGE } from './options.js';
import { runDemo } from './run.js';

// pnpm runs package scripts in the package's folder; INIT_CWD is where `pnpm demo` was typed.
const root = process.env.INIT_CWD ?? process.cwd();

try {
  const options = parseOptions(process.argv.slice(2), process.env, root, () => Math.floor(Math.random() * 1_000_000));
  if (options === 'help') {
    console.log(USAGE);
    process.exit(0);
  }
  console.log(`Lumen demo → ${options.url} (seed ${options.seed})`);
  const stop = new AbortController();
  process.once('SIGINT', () => {
    console.log('\nStopping…');
    stop.abort();
  });
  process.once('SIGTERM', () => stop.abort());
  const summary = await runDemo(options, { signal: stop.signal });
  console.log(
    `Done: ${summary.backfilled + summary.live} calls stored (${summary.backfilled} history, ${summary.live} live)${summary.rejected ? `, ${summary.rejected} refused` : ''}.`,
  );
} catch (error) {
  if (error instanceof OptionsError) console.error(`${error.message}\n\n${USAGE}`);
  else if (error instanceof LumenApiError) console.error(`Lumen refused the demo: ${error.message}${error.code ? ` (${error.code})` : ''}`);
  else console.error(error);
  process.exit(1);
}
