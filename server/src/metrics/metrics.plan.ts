import type { MetricsFilter } from '../logs/log.types.js';
import type { RollupDim } from './metric-rollup.entity.js';
import { MetricsDimension } from './metrics.types.js';

/**
 * The metrics query planner. A query covers a list of buckets (one for a summary or a breakdown, one per
 * point for a series). Each bucket is split into whole UTC days (read from day rollups), whole UTC hours
 * (hour rollups) and the leftover minutes at its edges (raw app_log rows). A plan is either all raw,
 * with exact percentile_cont, or that mix, with percentiles from the merged latency histograms.
 */
export interface Span {
  from: number;
  to: number;
}

export interface Coverage {
  raw: Span[];
  hour: Span[];
  day: Span[];
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

const floorTo = (ms: number, unit: number) => Math.floor(ms / unit) * unit;
const ceilTo = (ms: number, unit: number) => Math.ceil(ms / unit) * unit;

/** Splits consecutive buckets (boundaries ascending: from, every inner boundary, to) by what serves them. */
export function cover(boundaries: number[]): Coverage {
  const coverage: Coverage = { raw: [], hour: [], day: [] };
  const add = (kind: keyof Coverage, from: number, to: number) => {
    if (from >= to) return;
    const spans = coverage[kind];
    const last = spans[spans.length - 1];
    if (last && last.to === from) last.to = to;
    else spans.push({ from, to });
  };
  for (let i = 0; i + 1 < boundaries.length; i++) {
    const from = boundaries[i]!;
    const to = boundaries[i + 1]!;
    const hourFrom = ceilTo(from, HOUR);
    const hourTo = floorTo(to, HOUR);
    if (hourFrom >= hourTo) {
      add('raw', from, to);
      continue;
    }
    const dayFrom = ceilTo(from, DAY);
    const dayTo = floorTo(to, DAY);
    add('raw', from, hourFrom);
    if (dayFrom < dayTo) {
      add('hour', hourFrom, dayFrom);
      add('day', dayFrom, dayTo);
      add('hour', dayTo, hourTo);
    } else {
      add('hour', hourFrom, hourTo);
    }
    add('raw', hourTo, to);
  }
  for (const kind of ['raw', 'hour', 'day'] as const) coverage[kind].sort((a, b) => a.from - b.from);
  return coverage;
}

/**
 * Takes the minutes from the last whole hour to `to` (the last boundary) out of the raw spans when they
 * lie in the last bucket. A range ending now usually has no log stored after `to` in that hour, and then
 * the hour's rollup (with its pending rows) holds exactly those minutes; hybridSql checks that in the
 * same statement and reads them raw otherwise.
 */
export function splitTail(coverage: Coverage, boundaries: number[]): { coverage: Coverage; tail: Span | null } {
  const to = boundaries[boundaries.length - 1]!;
  const hour = floorTo(to, HOUR);
  if (hour === to || boundaries.length < 2 || hour < boundaries[boundaries.length - 2]!) return { coverage, tail: null };
  const raw: Span[] = [];
  for (const span of coverage.raw) {
    if (span.to <= hour) raw.push(span);
    else if (span.from < hour) raw.push({ from: span.from, to: hour });
  }
  return { coverage: { ...coverage, raw }, tail: { from: hour, to } };
}

export function usesRollups(coverage: Coverage): boolean {
  return coverage.hour.length > 0 || coverage.day.length > 0;
}

/** Filter fields and the columns that hold them, in app_log and in metric_rollup. */
export const FILTER_COLUMNS = { appId: 'app_id', provider: 'provider', model: 'model', userId: 'user_id' } as const;
export type FilterField = keyof typeof FILTER_COLUMNS;

/** The filter's set fields only (a missing field and a null one both match everything). */
export function cleanFilter(filter: MetricsFilter | null | undefined): MetricsFilter {
  const clean: MetricsFilter = {};
  for (const field of Object.keys(FILTER_COLUMNS) as FilterField[]) {
    const value = filter?.[field];
    if (value != null) clean[field] = value;
  }
  return clean;
}

export const DIMENSION_FIELD: Record<MetricsDimension, FilterField> = {
  [MetricsDimension.APP]: 'appId',
  [MetricsDimension.PROVIDER]: 'provider',
  [MetricsDimension.MODEL]: 'model',
  [MetricsDimension.USER]: 'userId',
};

const SINGLE_DIM: Record<FilterField, RollupDim> = { appId: 'app', provider: 'provider', model: 'model', userId: 'user' };

/**
 * The rollup slice that can answer a filter (and a breakdown field), or null when only raw rows can:
 * users are kept on their own, so a user combined with anything else is read raw.
 */
export function rollupDimFor(filter: MetricsFilter, groupBy?: FilterField): RollupDim | null {
  const fields = new Set<FilterField>((Object.keys(FILTER_COLUMNS) as FilterField[]).filter((field) => filter[field] != null));
  if (groupBy) fields.add(groupBy);
  if (fields.size === 0) return 'all';
  if (fields.size === 1) return SINGLE_DIM[[...fields][0]!];
  return fields.has('userId') ? null : 'app_model';
}
