/**
 * Writes a migration for the difference between the entities and the schema the existing migrations
 * build. Runs against an in-memory PGlite, so it needs no database server:
 *   pnpm --filter @lumen/server migration:create [--name add-something]
 * and lists it in migrations/index.ts. Review the file before committing it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MikroORM } from '@mikro-orm/postgresql';

import { startEmbeddedPostgres } from '../db/embedded.js';
import { ormOptions } from '../db/orm.js';
import { entities } from './entities.js';

const migrations = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../db/migrations');
const nameArg = process.argv.indexOf('--name');
// Migration names become class names: keep letters, digits and underscores.
const name = nameArg > 0 ? process.argv[nameArg + 1]?.replace(/[^A-Za-z0-9_]+/g, '_') : undefined;

const embedded = await startEmbeddedPostgres(null);
const base = ormOptions(embedded.connection, 1, entities);
const orm = await MikroORM.init({ ...base, migrations: { ...base.migrations, path: migrations, pathTs: migrations } });
try {
  await orm.getMigrator().up();
  const result = await orm.getMigrator().createMigration(migrations, false, false, name);
  if (!result.fileName) console.log('The entities match the migrations: nothing to write.');
  else {
    listMigration(path.join(migrations, 'index.ts'), result.fileName.replace(/\.ts$/, ''));
    console.log(`Wrote ${result.fileName} and listed it in migrations/index.ts:\n\n${result.diff.up.join('\n')}`);
  }
} finally {
  await orm.close(true);
  await embedded.stop();
}

function listMigration(indexFile: string, name: string): void {
  const index = readFileSync(indexFile, 'utf8')
    .replace(/(\nimport [^\n]+\n)(?!import)/, `$1import { ${name} } from './${name}.js';\n`)
    .replace(/\n\];\s*$/, `\n  { name: '${name}', class: ${name} },\n];\n`);
  writeFileSync(indexFile, index);
}
