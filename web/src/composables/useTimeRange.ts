import { computed } from 'vue';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';

import { patchQuery, queryValue, type QueryPatch } from './queryState';

export const TIME_PRESETS = ['1h', '24h', '7d', '30d'] as const;
export type TimePreset = (typeof TIME_PRESETS)[number];

/** A range as the viewer chose it: relative to now (a preset) or two fixed instants. */
export type TimeRangeSelection = { kind: 'preset'; preset: TimePreset } | { kind: 'custom'; from: string; to: string };

/** A range resolved to ISO instants, as the API's TimeRangeInput takes it. */
export interface ResolvedRange {
  from: string;
  to: string;
}

const HOUR = 3_600_000;
const PRESET_MS: Record<TimePreset, number> = { '1h': HOUR, '24h': 24 * HOUR, '7d': 7 * 24 * HOUR, '30d': 30 * 24 * HOUR };

export function isTimePreset(value: unknown): value is TimePreset {
  return (TIME_PRESETS as readonly unknown[]).includes(value);
}

function instant(value: string | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** Reads `?range=7d` or `?from=…&to=…`; anything missing or malformed falls back to the page's preset. */
export function parseTimeRange(query: LocationQuery, fallback: TimePreset): TimeRangeSelection {
  const from = instant(queryValue(query, 'from'));
  const to = instant(queryValue(query, 'to'));
  if (from !== null && to !== null && from < to)
    return { kind: 'custom', from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  const preset = queryValue(query, 'range');
  return { kind: 'preset', preset: isTimePreset(preset) ? preset : fallback };
}

/** The query parameters for a selection; the page's own default preset leaves the URL clean. */
export function timeRangeQuery(selection: TimeRangeSelection, fallback: TimePreset): QueryPatch {
  if (selection.kind === 'custom') return { range: null, from: selection.from, to: selection.to };
  return { range: selection.preset === fallback ? null : selection.preset, from: null, to: null };
}

export function resolveTimeRange(selection: TimeRangeSelection, now: Date = new Date()): ResolvedRange {
  if (selection.kind === 'custom') return { from: selection.from, to: selection.to };
  return { from: new Date(now.getTime() - PRESET_MS[selection.preset]).toISOString(), to: now.toISOString() };
}

/**
 * The time range of a page, kept in the URL so a view can be shared and survives a reload.
 * Presets are resolved against the clock each time `resolve()` is called.
 */
export function useTimeRange(fallback: TimePreset = '24h') {
  const route = useRoute();
  const router = useRouter();
  const selection = computed(() => parseTimeRange(route.query, fallback));
  return {
    selection,
    set: (next: TimeRangeSelection) => patchQuery(router, timeRangeQuery(next, fallback)),
    resolve: (now?: Date) => resolveTimeRange(selection.value, now),
  };
}
