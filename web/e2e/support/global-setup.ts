import type { TestProject } from 'vitest/node';
import { startLumenProcess } from './lumen-process';

declare module 'vitest' {
  export interface ProvidedContext {
    lumenUrl: string;
    adminKey: string;
  }
}

/** One server for the browser tests, started as `pnpm start` runs it, on the embedded database. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const lumen = await startLumenProcess();
  project.provide('lumenUrl', lumen.url);
  project.provide('adminKey', lumen.adminKey);
  return async () => {
    await lumen.stop();
  };
}
