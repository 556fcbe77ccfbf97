import { describe, expect, it } from 'vitest';

import { inboxView, toRecordFilter, viewShows } from './inboxFilter';

describe('inbox filter', () => {
  it('shows open alerts unless the URL asks for another view', () => {
    expect(inboxView(undefined)).toBe('open');
    expect(inboxView('resolved')).toBe('resolved');
    expect(inboxView('<script>')).toBe('open');
    expect(toRecordFilter({})).toEqual({ status: ['FIRING', 'ACKNOWLEDGED'] });
  });

  it('maps the URL state onto the API filter', () => {
    expect(toRecordFilter({ view: 'all', severity: 'CRITICAL', ruleId: '42' })).toEqual({ severity: 'CRITICAL', ruleId: '42' });
    expect(toRecordFilter({ view: 'firing', severity: 'SEVERE' })).toEqual({ status: ['FIRING'] });
  });

  it('says whether a changed alert still belongs in the view', () => {
    expect(viewShows('open', 'ACKNOWLEDGED')).toBe(true);
    expect(viewShows('open', 'RESOLVED')).toBe(false);
    expect(viewShows('all', 'RESOLVED')).toBe(true);
    expect(viewShows('firing', 'ACKNOWLEDGED')).toBe(false);
  });
});
