import 'reflect-metadata';

import { parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';

import { buildLumenSchema } from '../app/schema.js';
import { prepareLogBatch } from './log-batch.precheck.js';

const INGEST = parse('mutation($batch: [LogInput!]!) { ingestLogs(logs: $batch) { accepted } }').definitions[0] as OperationDefinitionNode;

describe(prepareLogBatch.name, () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildLumenSchema();
  });

  it('coerces every field as GraphQL does, so the batch need not be coerced again', () => {
    const batch = [
      { appId: 'chat', provider: 'openai', model: 'gpt-4o', timestamp: '2026-03-01T10:00:00Z', cost: '0.25', metadata: { a: 1 } },
    ];
    const prepared = prepareLogBatch(schema, INGEST, { batch }, 1000);
    expect(prepared).toMatchObject({ variable: 'batch', problems: null });
    expect(prepared!.logs).toHaveLength(1);
    expect(prepared!.logs[0]!.timestamp).toEqual(new Date('2026-03-01T10:00:00Z'));
    expect(prepared!.logs[0]).toMatchObject({ appId: 'chat', provider: 'openai', model: 'gpt-4o', metadata: { a: 1 } });
  });

  it('nulls and reports the fields GraphQL would refuse, and drops unknown ones, item by item', () => {
    const batch = [
      { appId: 'chat', inputTokens: 1.5, timestamp: 'yesterday', colour: 'red' },
      { appId: 'chat', inputTokens: 3 },
    ];
    const prepared = prepareLogBatch(schema, INGEST, { batch }, 1000)!;
    expect(prepared.logs).toEqual([
      { appId: 'chat', inputTokens: null, timestamp: null },
      { appId: 'chat', inputTokens: 3 },
    ]);
    expect([...prepared.problems!.entries()]).toEqual([
      [
        0,
        [
          { field: 'inputTokens', message: 'must be a whole number from 0 to 2147483647' },
          { field: 'timestamp', message: expect.stringContaining('date-time') },
          { field: 'colour', message: 'is not a field of LogInput' },
        ],
      ],
    ]);
  });

  it('leaves batches it cannot prepare to GraphQL: inline lists, and batches over the limit', () => {
    const inline = parse('mutation { ingestLogs(logs: [{ appId: "a" }]) { accepted } }').definitions[0] as OperationDefinitionNode;
    expect(prepareLogBatch(schema, inline, {}, 1000)).toBeNull();
    expect(prepareLogBatch(schema, INGEST, { batch: [{}, {}, {}] }, 2)).toBeNull();
  });
});
