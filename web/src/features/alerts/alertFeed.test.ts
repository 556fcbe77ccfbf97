import { describe, expect, it } from 'vitest';

import { addToast, applyToFiring, badgeText, dueToasts, MAX_TOASTS, TOAST_MS, type AlertEvent } from './alertFeed';

function event(id: string, patch: Partial<AlertEvent> = {}): AlertEvent {
  return {
    id,
    status: 'FIRING',
    severity: 'WARNING',
    kind: 'THRESHOLD',
    stage: null,
    expected: null,
    metric: 'ERROR_RATE',
    operator: 'GT',
    value: '0.4',
    threshold: '0.2',
    windowMinutes: 5,
    firedAt: '2026-11-25T10:00:00Z',
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    lastNotifiedAt: null,
    silenced: false,
    rule: { id: 'r1', name: 'Chat errors' },
    ...patch,
  };
}

describe('alert feed', () => {
  it('counts an alert while it is FIRING and stops once it is acknowledged or resolved', () => {
    let firing = applyToFiring(new Map(), event('a'));
    firing = applyToFiring(firing, event('b'));
    expect([...firing.keys()]).toEqual(['a', 'b']);
    firing = applyToFiring(firing, event('a', { status: 'ACKNOWLEDGED' }));
    firing = applyToFiring(firing, event('b', { status: 'RESOLVED' }));
    expect(firing.size).toBe(0);
  });

  it('shows the newest toasts first, one per alert, and no more than a few', () => {
    let toasts = addToast([], event('a'), 0);
    toasts = addToast(toasts, event('a', { value: '0.5' }), 1);
    expect(toasts.map((t) => [t.event.id, t.event.value])).toEqual([['a', '0.5']]);
    for (const id of ['b', 'c', 'd', 'e']) toasts = addToast(toasts, event(id), 2);
    expect(toasts.map((t) => t.event.id)).toEqual(['e', 'd', 'c', 'b']);
    expect(toasts).toHaveLength(MAX_TOASTS);
  });

  it('keeps a toast while its alert fires and its time lasts; critical ones until closed', () => {
    const warning = event('w');
    const critical = event('c', { severity: 'CRITICAL' });
    const toasts = [addToast([], warning, 0)[0]!, addToast([], critical, 0)[0]!];
    const firing = new Map([
      ['w', warning],
      ['c', critical],
    ]);
    expect(dueToasts(toasts, firing, TOAST_MS - 1)).toHaveLength(2);
    expect(dueToasts(toasts, firing, TOAST_MS).map((t) => t.event.id)).toEqual(['c']);
    expect(dueToasts(toasts, new Map([['w', warning]]), 0).map((t) => t.event.id)).toEqual(['w']);
  });

  it('caps the badge', () => {
    expect(badgeText(3, false)).toBe('3');
    expect(badgeText(99, true)).toBe('99+');
    expect(badgeText(100, false)).toBe('99+');
  });
});

describe('silenced alerts', () => {
  it('count as firing but pop up no toast', () => {
    const silenced = event('s1', { silenced: true });
    expect(addToast([], silenced, 0)).toEqual([]);
    expect([...applyToFiring(new Map(), silenced).keys()]).toEqual(['s1']);
  });
});
