import { startLumenProcess } from '@lumen/testkit';
import type { TestProject } from 'vitest/node';

import { runDemo } from '../../../packages/demo/src/run.js';

declare module 'vitest' {
  export interface ProvidedContext {
    lumenUrl: string;
    adminKey: string;
  }
}

/**
 * One server for the browser tests, started as `pnpm start` runs it, on the embedded database, with
 * two days of demo traffic (as `pnpm demo --days 2 --no-live` sends it) so pages show real data.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Live metrics and alert evaluation every second rather than every few, so live tests wait less;
  // webhooks may call the test's own receiver on 127.0.0.1.
  const lumen = await startLumenProcess({
    LIVE_METRICS_INTERVAL_SECONDS: '1',
    ALERT_EVAL_INTERVAL_SECONDS: '1',
    WEBHOOK_ALLOW_PRIVATE: 'true',
  });
  try {
    await runDemo(
      {
        url: lumen.url,
        adminKey: lumen.adminKey,
        days: 2,
        callsPerDay: 400,
        live: false,
        liveCallsPerMinute: 0,
        liveMinutes: 0,
        seed: 2024,
      },
      { log: () => undefined },
    );
  } catch (error) {
    await lumen.stop();
    throw error;
  }
  project.provide('lumenUrl', lumen.url);
  project.provide('adminKey', lumen.adminKey);
  return async () => {
    await lumen.stop();
  };
}
