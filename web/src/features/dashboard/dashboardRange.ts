import type { ResolvedRange, TimeRangeSelection } from '../../composables/useTimeRange';
import type { MetricsInterval } from '../../graphql/generated/operations';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The bucket width for a range: enough points to see a shape (30 to 240), never more than a chart can show. */
export function intervalFor(range: ResolvedRange): MetricsInterval {
  const span = Date.parse(range.to) - Date.parse(range.from);
  if (span <= 4 * HOUR) return 'MINUTE';
  if (span <= 10 * DAY) return 'HOUR';
  if (span <= 180 * DAY) return 'DAY';
  if (span <= 3 * 365 * DAY) return 'WEEK';
  return 'MONTH';
}

/** The range of the same length just before, to compare with ("+12 % on the previous 24 hours"). */
export function previousRange(range: ResolvedRange): ResolvedRange {
  const from = Date.parse(range.from);
  const span = Date.parse(range.to) - from;
  return { from: new Date(from - span).toISOString(), to: range.from };
}

const PRESET_SECONDS = { '1h': 3_600, '24h': 86_400, '7d': 7 * 86_400, '30d': 30 * 86_400 } as const;
/** The largest window liveMetrics accepts. */
export const LIVE_MAX_WINDOW_SECONDS = 86_400;

/**
 * The liveMetrics window for a range: the preset itself up to a day, so a live snapshot is the
 * summary of the range shown. Longer presets follow the feed only to know when to refresh; a custom
 * range is fixed in time and has nothing live to show (null).
 */
export function liveWindowFor(selection: TimeRangeSelection): { seconds: number; isWholeRange: boolean } | null {
  if (selection.kind === 'custom') return null;
  const seconds = PRESET_SECONDS[selection.preset];
  return { seconds: Math.min(seconds, LIVE_MAX_WINDOW_SECONDS), isWholeRange: seconds <= LIVE_MAX_WINDOW_SECONDS };
}
