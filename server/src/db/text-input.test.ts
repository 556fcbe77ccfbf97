import { describe, expect, it } from 'vitest';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { testDatabases } from '../test/databases.js';
import { useTestLumen } from '../test/lumen.js';

describe.each(testDatabases())('text input with a NUL character ($name)', (database) => {
  const sut = useTestLumen(database, { env: 'production' });

  const cases: [string, string, Record<string, unknown>][] = [
    [
      'an alert rule name',
      'mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }',
      { input: { name: 'cpu\u0000hot', metric: 'ERROR_RATE', operator: 'GT', threshold: '0.2', windowMinutes: 5 } },
    ],
    [
      'a cost config provider',
      'mutation($input: CostConfigInput!) { createCostConfig(input: $input) { id } }',
      { input: { provider: 'open\u0000ai', model: 'm', inputPricePerMillion: '1', outputPricePerMillion: '1' } },
    ],
    [
      'an API key name',
      'mutation($name: String!, $role: ApiKeyRole!) { createApiKey(name: $name, role: $role) { key } }',
      { name: 'ci\u0000key', role: ApiKeyRole.READ },
    ],
    ['a logs filter', 'query($appId: String) { logs(filter: { appId: $appId }) { nodes { id } } }', { appId: 'x\u0000y' }],
  ];

  it.each(cases)('refuses a NUL in %s as BAD_USER_INPUT, not as an outage', async (_what, query, variables) => {
    const result = await sut.gql(query, variables);
    expect(result.status).not.toBe(503);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/NUL/);
  });
});
