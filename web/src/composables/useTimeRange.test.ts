import { describe, expect, it } from 'vitest';

import { withRouter } from '../test/withRouter';
import { parseTimeRange, resolveTimeRange, timeRangeQuery, useTimeRange } from './useTimeRange';

const now = new Date('2026-03-01T12:00:00.000Z');

describe('parseTimeRange', () => {
  it('reads a preset, or a custom range of two instants', () => {
    expect(parseTimeRange({ range: '7d' }, '24h')).toEqual({ kind: 'preset', preset: '7d' });
    expect(parseTimeRange({ from: '2026-02-01T00:00:00+08:00', to: '2026-02-02T00:00:00Z' }, '24h')).toEqual({
      kind: 'custom',
      from: '2026-01-31T16:00:00.000Z',
      to: '2026-02-02T00:00:00.000Z',
    });
  });

  it('falls back to the page default for anything missing, unknown or backwards', () => {
    const fallback = { kind: 'preset', preset: '24h' };
    expect(parseTimeRange({}, '24h')).toEqual(fallback);
    expect(parseTimeRange({ range: '2y' }, '24h')).toEqual(fallback);
    expect(parseTimeRange({ from: 'yesterday', to: '2026-02-02T00:00:00Z' }, '24h')).toEqual(fallback);
    expect(parseTimeRange({ from: '2026-02-02T00:00:00Z', to: '2026-02-01T00:00:00Z' }, '24h')).toEqual(fallback);
  });
});

describe('timeRangeQuery and resolveTimeRange', () => {
  it('leave the default preset out of the URL and replace a custom range by a preset', () => {
    expect(timeRangeQuery({ kind: 'preset', preset: '24h' }, '24h')).toEqual({ range: null, from: null, to: null });
    expect(timeRangeQuery({ kind: 'preset', preset: '30d' }, '24h')).toEqual({ range: '30d', from: null, to: null });
    expect(timeRangeQuery({ kind: 'custom', from: 'a', to: 'b' }, '24h')).toEqual({ range: null, from: 'a', to: 'b' });
  });

  it('resolve a preset against the clock and a custom range as it is', () => {
    expect(resolveTimeRange({ kind: 'preset', preset: '1h' }, now)).toEqual({
      from: '2026-03-01T11:00:00.000Z',
      to: '2026-03-01T12:00:00.000Z',
    });
    expect(resolveTimeRange({ kind: 'preset', preset: '30d' }, now).from).toBe('2026-01-30T12:00:00.000Z');
    expect(resolveTimeRange({ kind: 'custom', from: 'x', to: 'y' }, now)).toEqual({ from: 'x', to: 'y' });
  });
});

describe('useTimeRange', () => {
  it('keeps the chosen range in the URL, so a reload or a shared link shows the same range', async () => {
    const { result, router } = await withRouter('/logs?appId=chat', () => useTimeRange('24h'));
    expect(result.selection.value).toEqual({ kind: 'preset', preset: '24h' });
    await result.set({ kind: 'custom', from: '2026-02-01T00:00:00.000Z', to: '2026-02-03T00:00:00.000Z' });
    expect(router.currentRoute.value.query).toEqual({ appId: 'chat', from: '2026-02-01T00:00:00.000Z', to: '2026-02-03T00:00:00.000Z' });

    const reloaded = await withRouter(router.currentRoute.value.fullPath, () => useTimeRange('24h'));
    expect(reloaded.result.resolve(now)).toEqual({ from: '2026-02-01T00:00:00.000Z', to: '2026-02-03T00:00:00.000Z' });
    await reloaded.result.set({ kind: 'preset', preset: '7d' });
    expect(reloaded.router.currentRoute.value.query).toEqual({ appId: 'chat', range: '7d' });
  });
});
