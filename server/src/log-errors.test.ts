import { describe, expect, it } from 'vitest';

import { testDatabases } from './test/databases.js';
import { useTestLumen } from './test/lumen.js';

describe.each(testDatabases())('errors in the server log ($name)', (database) => {
  const sut = useTestLumen(database, { env: 'production' });

  it('logs a failed INSERT with its statement label and code, never its values', async () => {
    await sut.lumen.services.sql.query('alter table alert_rule add constraint always_refused check (false) not valid');
    const result = await sut.gql('mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }', {
      input: {
        name: 'errors spike',
        metric: 'ERROR_RATE',
        operator: 'GT',
        threshold: '0.2',
        windowMinutes: 5,
        webhookUrl: 'https://hooks.example.com/services/T000/B000/token-in-the-path-1234',
        webhookSecret: 'signing-secret-never-logged-5678',
      },
    });
    expect(result.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    const failure = sut.logLines().find((line) => line.msg === 'request failed');
    expect(failure?.err).toMatchObject({ statement: 'insert into "alert_rule"', code: '23514', constraint: 'always_refused' });
    const everything = JSON.stringify(sut.logLines());
    expect(everything).not.toContain('token-in-the-path-1234');
    expect(everything).not.toContain('signing-secret-never-logged-5678');
    expect(everything).not.toContain('hooks.example.com');
  });
});
