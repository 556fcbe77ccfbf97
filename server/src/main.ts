import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startLumen } from './app/lumen.js';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const log = createLogger(config);
const lumen = await startLumen(config, log).catch((error: unknown) => {
  log.fatal({ err: error }, 'Lumen could not start');
  process.exit(1);
});

if (lumen.generatedAdminKey) {
  // Printed to the terminal once, not to the structured log: it is a secret.
  console.log(
    [
      '',
      '  Lumen is ready. An admin API key was generated for this first run:',
      '',
      `    ${lumen.generatedAdminKey}`,
      '',
      `  Open the dashboard: ${lumen.url}/sign-in#key=${lumen.generatedAdminKey}`,
      lumen.adminKeyFile ? `  The key is kept in ${lumen.adminKeyFile}; set LUMEN_ADMIN_KEY to choose your own.` : '',
      '',
    ].join('\n'),
  );
} else {
  console.log(`\n  Lumen is ready: ${lumen.url} (API at ${lumen.url}/graphql)\n`);
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
