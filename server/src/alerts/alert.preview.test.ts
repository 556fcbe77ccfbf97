import { beforeAll, describe, expect, it } from 'vitest';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { alertRuleInput, alertTestConfig } from '../test/alerts.js';
import { testDatabases } from '../test/databases.js';
import { useTestLumen } from '../test/lumen.js';

const PREVIEW = `mutation($input: AlertRuleInput!, $range: TimeRangeInput!) {
  previewAlertRule(input: $input, range: $range) { wouldFire stepSeconds firings { firedAt resolvedAt value } points { at value samples breaching } }
}`;

interface Preview {
  wouldFire: boolean;
  stepSeconds: number;
  firings: { firedAt: string; resolvedAt: string | null; value: string }[];
  points: { at: string; value: string | null; samples: number; breaching: boolean }[];
}

const MINUTE = 60_000;

describe.each(testDatabases())('previewAlertRule on $name', (database) => {
  const sut = useTestLumen(database, { ...alertTestConfig(), alertEvalIntervalSeconds: 60 });
  // Whole minutes, two hours ago: the history below sits between its instants, never on one.
  const start = Math.floor(Date.now() / MINUTE) * MINUTE - 120 * MINUTE;
  const at = (minutes: number) => new Date(start + minutes * MINUTE);
  const range = { from: at(0).toISOString(), to: at(90).toISOString() };

  beforeAll(async () => {
    // Past feedback of app "history", written as it was stored then: three thumbs down at minutes
    // 30.5-32.5, three thumbs up at 60.5, one thumbs down at 80.5.
    const history = [
      [30.5, 'NEGATIVE'],
      [31.5, 'NEGATIVE'],
      [32.5, 'NEGATIVE'],
      [60.5, 'POSITIVE'],
      [60.5, 'POSITIVE'],
      [60.5, 'POSITIVE'],
      [80.5, 'NEGATIVE'],
    ] as const;
    for (const [minute, rating] of history) {
      await sut.lumen.services.sql.query(`insert into user_feedback (app_id, rating, created_at) values ('history', $1, $2)`, [
        rating,
        at(minute),
      ]);
    }
  });
  it('replays the rule at every evaluation interval and says when it would have fired and resolved', async () => {
    const result = await sut.gql<{ previewAlertRule: Preview }>(PREVIEW, {
      input: alertRuleInput({ appId: 'history', windowMinutes: 10 }),
      range,
    });
    const preview = result.data!.previewAlertRule;
    expect(preview.stepSeconds).toBe(60);
    expect(preview.points).toHaveLength(90);
    expect(preview.wouldFire).toBe(true);
    expect(preview.firings).toEqual([
      { firedAt: at(31).toISOString(), resolvedAt: at(43).toISOString(), value: '1' },
      { firedAt: at(81).toISOString(), resolvedAt: null, value: '1' },
    ]);
    const point = (minute: number) => preview.points[minute - 1]!;
    expect(point(40)).toEqual({ at: at(40).toISOString(), value: '1', samples: 3, breaching: true });
    expect(point(65)).toEqual({ at: at(65).toISOString(), value: '0', samples: 3, breaching: false });
    expect(point(50)).toEqual({ at: at(50).toISOString(), value: null, samples: 0, breaching: false });
  });

  it('does not fire where the window holds fewer than minSamples, and stores nothing', async () => {
    const result = await sut.gql<{ previewAlertRule: Preview }>(PREVIEW, {
      input: alertRuleInput({ appId: 'history', windowMinutes: 10, minSamples: 2 }),
      range,
    });
    expect(result.data!.previewAlertRule.firings).toEqual([
      { firedAt: at(32).toISOString(), resolvedAt: at(42).toISOString(), value: '1' },
    ]);
    expect(await sut.lumen.services.sql.query('select 1 from alert_rule')).toEqual([]);
  });

  it('measures at most 200 instants over a long range', async () => {
    const long = { from: new Date(start - 30 * 24 * 60 * MINUTE).toISOString(), to: at(90).toISOString() };
    const preview = (
      await sut.gql<{ previewAlertRule: Preview }>(PREVIEW, { input: alertRuleInput({ appId: 'history', windowMinutes: 60 }), range: long })
    ).data!.previewAlertRule;
    expect(preview.points.length).toBeLessThanOrEqual(200);
    expect(preview.stepSeconds).toBeGreaterThan(60);
  });

  it('is open to READ keys and validates its input like createAlertRule', async () => {
    const readKey = await sut.createKey(ApiKeyRole.READ);
    const asReader = await sut.gql<{ previewAlertRule: Preview }>(
      PREVIEW,
      { input: alertRuleInput({ appId: 'history', windowMinutes: 10 }), range },
      readKey,
    );
    expect(asReader.errors).toBeUndefined();
    expect(asReader.data!.previewAlertRule).toMatchObject({ wouldFire: true, stepSeconds: 60 });
    expect(asReader.data!.previewAlertRule.firings).toHaveLength(2);
    const refused = await sut.gql(PREVIEW, { input: alertRuleInput({ threshold: '3' }), range });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.threshold' });
    const backwards = await sut.gql(PREVIEW, { input: alertRuleInput(), range: { from: range.to, to: range.from } });
    expect(backwards.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'range' });
  });
});
