#!/usr/bin/env node
/** Fails when the web's generated GraphQL types differ from what `pnpm codegen` would write now. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The generated files whose committed content is stale, by path relative to the repository. */
export async function staleCodegenFiles() {
  const { config } = await loadCodegenConfig({ configFilePath: path.join(root, 'codegen.ts') });
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const outputs = await generate({ ...config, silent: true, errorsOnly: true }, false);
    return outputs
      .filter((output) => {
        try {
          return readFileSync(path.join(root, output.filename), 'utf8') !== output.content;
        } catch {
          return true;
        }
      })
      .map((output) => output.filename);
  } finally {
    process.chdir(cwd);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const stale = await staleCodegenFiles();
  if (stale.length > 0) {
    console.error(`Stale generated files: ${stale.join(', ')}. Run \`pnpm codegen\` and commit the result.`);
    process.exit(1);
  }
  console.log('Generated GraphQL types are up to date.');
}
