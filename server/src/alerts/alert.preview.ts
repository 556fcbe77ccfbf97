import { checkRange, type TimeRange } from '../graphql/time-range.js';
import type { AlertStage } from './alert-record.entity.js';
import type { AlertPreview, AlertPreviewFiring, AlertPreviewPoint } from './alert-rule.types.js';
import type { ValidRule } from './alert-rule.validation.js';
import { assessRule, type StageVerdict } from './alert.assess.js';
import type { AlertMetricSource } from './alert.metrics.js';

export const MAX_PREVIEW_POINTS = 200;
const CONCURRENT_MEASUREMENTS = 4;

/**
 * Replays a rule over a past range: the rule is assessed as the engine assesses it (assessRule: the
 * same source, the same windows, baselines and budget periods), at instants `step` apart from range.from to range.to, and the engine's state machine
 * is run over them. The step is the evaluation interval, or longer so that at most MAX_PREVIEW_POINTS
 * instants are measured; a breach shorter than the step can thus go unseen in a long range.
 */
export async function previewRule(
  source: AlertMetricSource,
  rule: ValidRule,
  range: TimeRange,
  evalIntervalMs: number,
): Promise<AlertPreview> {
  checkRange(range);
  const span = range.to.getTime() - range.from.getTime();
  const stepMs = Math.max(evalIntervalMs, Math.ceil(span / (MAX_PREVIEW_POINTS - 1) / 1000) * 1000);
  const instants: Date[] = [];
  for (let at = range.from.getTime() + stepMs; at <= range.to.getTime(); at += stepMs) instants.push(new Date(at));
  if (instants.length === 0) instants.push(range.to);

  const points: AlertPreviewPoint[] = new Array(instants.length);
  const verdicts: StageVerdict[][] = new Array(instants.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < instants.length; i = next++) {
      const at = instants[i]!;
      const assessment = await assessRule(source, rule, at);
      verdicts[i] = assessment.stages;
      points[i] = {
        at,
        value: assessment.value,
        samples: assessment.samples,
        breaching: assessment.stages.some((stage) => stage.verdict.kind === 'breach'),
        forecast: assessment.forecast ?? null,
        expected: assessment.baseline?.median ?? null,
        lower: assessment.baseline?.lower ?? null,
        upper: assessment.baseline?.upper ?? null,
      };
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_MEASUREMENTS }, worker));

  // The engine's state machine, per stage: a BUDGET rule's FORECAST and SPENT alerts open and resolve apart.
  const firings: AlertPreviewFiring[] = [];
  const open = new Map<string, AlertPreviewFiring>();
  points.forEach((point, i) => {
    for (const { stage, verdict } of verdicts[i]!) {
      const firing = open.get(stage);
      if (verdict.kind === 'breach' && !firing) {
        const opened: AlertPreviewFiring = {
          firedAt: point.at,
          resolvedAt: null,
          value: verdict.value,
          stage: (stage || null) as AlertStage | null,
        };
        firings.push(opened);
        open.set(stage, opened);
      } else if (verdict.kind !== 'breach' && firing) {
        firing.resolvedAt = point.at;
        open.delete(stage);
      }
    }
  });
  firings.sort((a, b) => a.firedAt.getTime() - b.firedAt.getTime());
  return { wouldFire: firings.length > 0, firings, points, stepSeconds: stepMs / 1000 };
}
