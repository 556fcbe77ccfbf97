import { startLumenProcess } from '@lumen/testkit';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    lumenUrl: string;
    adminKey: string;
  }
}

/**
 * One Lumen for the SDK's tests, the built server as `pnpm start` runs it, on the embedded database.
 * Rate limits are off: the tests that need a 429 get it from a proxy, on their own schedule.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const lumen = await startLumenProcess({ RATE_LIMIT_INGEST_PER_SECOND: '0', RATE_LIMIT_READ_PER_SECOND: '0', LOG_LEVEL: 'warn' });
  project.provide('lumenUrl', lumen.url);
  project.provide('adminKey', lumen.adminKey);
  return async () => {
    await lumen.stop();
  };
}
