import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { printLumenSchema, SCHEMA_FILE } from './schema.js';

describe('schema.graphql', () => {
  it('matches the schema the resolvers build (run `pnpm schema` when this fails)', async () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(await printLumenSchema());
  });
});
