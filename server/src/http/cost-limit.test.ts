import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getNamedType, isLeafType, parse, specifiedRules, validate, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';

import { buildLumenSchema } from '../app/schema.js';
import { ApiKeyRole } from '../auth/api-key.entity.js';
import { loadConfig } from '../config.js';
import { testDatabases } from '../test/databases.js';
import { useTestLumen } from '../test/lumen.js';
import { websocketRules } from './limits.js';

const defaults = loadConfig({}).graphql;
const WEB_SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/src');

function graphqlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === 'generated' ? [] : graphqlFiles(file);
    return name.endsWith('.graphql') ? [file] : [];
  });
}

describe('the cost limit with its default', () => {
  let schema: GraphQLSchema;
  const errorsOf = (source: string) =>
    validate(schema, parse(source), [...specifiedRules, ...websocketRules(defaults, true)]).map((error) => error.message);
  const scalarsOf = (type: string) =>
    Object.values((schema.getType(type) as GraphQLObjectType).getFields())
      .filter((field) => isLeafType(getNamedType(field.type)) && field.args.length === 0)
      .map((field) => field.name);

  beforeAll(async () => {
    schema = await buildLumenSchema();
  });

  it('admits a default page of logs with every scalar field of a log', () => {
    expect(errorsOf(`{ logs { nodes { ${scalarsOf('AppLog').join(' ')} } pageInfo { hasNextPage endCursor } } }`)).toEqual([]);
  });

  it('admits a page of 500 logs with every scalar field, as a literal or a variable', () => {
    const fields = scalarsOf('AppLog').join(' ');
    expect(errorsOf(`{ logs(first: 500) { edges { cursor node { ${fields} } } pageInfo { hasNextPage endCursor } } }`)).toEqual([]);
    expect(errorsOf(`query($n: Int) { logs(first: $n) { nodes { ${fields} } } }`)).toEqual([]);
  });

  it('admits every document of the web app', () => {
    const files = graphqlFiles(WEB_SRC);
    const fragments = files.filter((file) => file.endsWith('.fragment.graphql')).map((file) => readFileSync(file, 'utf8'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files.filter((name) => !name.endsWith('.fragment.graphql'))) {
      const source = readFileSync(file, 'utf8');
      const used = fragments.filter((fragment) =>
        [...fragment.matchAll(/fragment (\w+)/g)].some(([, name]) => source.includes(`...${name}`)),
      );
      const withFragments = [
        source,
        ...used,
        ...used.flatMap((f) =>
          fragments.filter((g) => g !== f && [...g.matchAll(/fragment (\w+)/g)].some(([, name]) => f.includes(`...${name}`))),
        ),
      ];
      const refused = errorsOf([...new Set(withFragments)].join('\n')).filter((message) => message.includes('GRAPHQL_MAX_COST'));
      expect(refused, path.relative(WEB_SRC, file)).toEqual([]);
    }
  });

  it('counts a page size sent as a variable as the largest page, so nested lists cannot hide behind it', () => {
    const feedback = scalarsOf('Feedback').join(' ');
    const [message] = errorsOf(`query($n: Int) { logs(first: $n) { nodes { id feedback { ${feedback} } } } }`);
    expect(message).toMatch(/^The operation costs \d+, more than the limit of 20000 \(GRAPHQL_MAX_COST\)/);
  });
});

describe('refusal messages', () => {
  const [database] = testDatabases();
  const sut = useTestLumen(database!, { env: 'production', graphql: { ...defaults, introspection: false, maxDepth: 3 } });

  it('never open a validation error with "Syntax Error:"', async () => {
    const result = await sut.gql('{ logs { edges { node { id } } } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(result.errors?.[0]?.message).toMatch(/^'?\w/);
    expect(result.errors?.[0]?.message).not.toContain('Syntax Error');
  });

  it('name the role an ADMIN-only operation needs once', async () => {
    const read = await sut.createKey(ApiKeyRole.READ);
    const result = await sut.gql('{ apiKeys { id } }', {}, read);
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(result.errors?.[0]?.message).toBe('This needs an ADMIN key; this key has role READ');
  });
});
