import pino from 'pino';

import { startLumen } from './app/lumen.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger, routeConsoleTo } from './logger.js';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    pino({ base: { service: 'lumen' } }).fatal({ problems: error.problems }, 'Invalid configuration');
    process.exit(1);
  }
  throw error;
}

const log = createLogger(config);
// Libraries that print with console (graphql-ws, drivers) write JSON lines like everything else.
routeConsoleTo(log);
const lumen = await startLumen(config, log).catch((error: unknown) => {
  log.fatal({ err: error }, 'Lumen could not start');
  process.exit(1);
});

if (process.stdout.isTTY) {
  // A person at a terminal gets the addresses (and a generated admin key, once) as plain text.
  process.stdout.write(
    lumen.generatedAdminKey
      ? [
          '',
          '  Lumen is ready. An admin API key was generated for this first run:',
          '',
          `    ${lumen.generatedAdminKey}`,
          '',
          `  Open the dashboard: ${lumen.url}/sign-in#key=${lumen.generatedAdminKey}`,
          lumen.adminKeyFile ? `  The key is kept in ${lumen.adminKeyFile}; set LUMEN_ADMIN_KEY to choose your own.` : '',
          '',
          '',
        ].join('\n')
      : `\n  Lumen is ready: ${lumen.url} (API at ${lumen.url}/graphql)\n\n`,
  );
} else if (lumen.generatedAdminKey) {
  // Elsewhere (a container, a service manager) output is read as JSON lines: the first-run key is
  // shown once, as it would be on a terminal, and never again.
  log.info(
    { adminKey: lumen.generatedAdminKey, adminKeyFile: lumen.adminKeyFile, signIn: `${lumen.url}/sign-in#key=${lumen.generatedAdminKey}` },
    'an admin API key was generated for this first run; set LUMEN_ADMIN_KEY to choose your own',
  );
}

let firstSignalAt = 0;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    // A signal sent to the whole process group arrives more than once; only a later one means "now".
    if (firstSignalAt > 0) {
      if (Date.now() - firstSignalAt < 1_000) return;
      log.warn('second signal: exiting at once');
      process.exit(1);
    }
    firstSignalAt = Date.now();
    log.info({ signal }, 'shutting down');
    lumen.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
