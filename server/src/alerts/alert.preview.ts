import { checkRange, type TimeRange } from '../graphql/time-range.js';
import type { AlertPreview, AlertPreviewFiring, AlertPreviewPoint } from './alert-rule.types.js';
import type { ValidRule } from './alert-rule.validation.js';
import { toStoredDecimal } from './alert.condition.js';
import { judge } from './alert.engine.js';
import type { AlertMetricSource } from './alert.metrics.js';

export const MAX_PREVIEW_POINTS = 200;
const CONCURRENT_MEASUREMENTS = 4;

/**
 * Replays a rule over a past range: the metric is measured, as the engine measures it (the same source,
 * the same window), at instants `step` apart from range.from to range.to, and the engine's state machine
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
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < instants.length; i = next++) {
      const to = instants[i]!;
      const measured = await source.measure(
        rule.metric,
        { from: new Date(to.getTime() - rule.windowMinutes * 60_000), to },
        { appId: rule.appId, model: rule.model },
      );
      const verdict = judge({ operator: rule.operator, threshold: rule.threshold, min_samples: rule.minSamples }, measured);
      points[i] = {
        at: to,
        value: measured.value === null ? null : toStoredDecimal(measured.value).toFixed(),
        samples: measured.samples,
        breaching: verdict.kind === 'breach',
      };
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_MEASUREMENTS }, worker));

  const firings: AlertPreviewFiring[] = [];
  let open: AlertPreviewFiring | null = null;
  for (const point of points) {
    if (point.breaching && !open) {
      open = { firedAt: point.at, resolvedAt: null, value: point.value! };
      firings.push(open);
    } else if (!point.breaching && open) {
      open.resolvedAt = point.at;
      open = null;
    }
  }
  return { wouldFire: firings.length > 0, firings, points, stepSeconds: stepMs / 1000 };
}
