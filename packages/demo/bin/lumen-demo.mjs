#!/usr/bin/env node
// Runs the demo's TypeScript directly (tsx), so `pnpm demo` is one process that Ctrl-C stops cleanly.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
