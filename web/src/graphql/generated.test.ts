import { describe, expect, it } from 'vitest';

// @ts-expect-error: a plain ES module script without types
import { staleCodegenFiles } from '../../../scripts/codegen-check.mjs';

describe('generated GraphQL types', () => {
  it('match schema.graphql and the documents (run `pnpm codegen` when this fails)', async () => {
    expect(await staleCodegenFiles()).toEqual([]);
  }, 60_000);
});
