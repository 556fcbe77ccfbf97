/**
 * Writes the schema to the top-level schema.graphql; with --check, fails when the file is stale.
 *   pnpm schema         pnpm schema:check
 */
import 'reflect-metadata';

import { readFileSync, writeFileSync } from 'node:fs';

import { printLumenSchema, SCHEMA_FILE } from './schema.js';

const target = SCHEMA_FILE;
const printed = await printLumenSchema();

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // a missing file is stale too
  }
  if (current !== printed) {
    console.error('schema.graphql is stale: run `pnpm schema` (and `pnpm codegen`) and commit the result.');
    process.exit(1);
  }
  console.log('schema.graphql is up to date.');
} else {
  writeFileSync(target, printed);
  console.log(`Wrote ${target}`);
}
