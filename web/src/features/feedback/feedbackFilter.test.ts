import { describe, expect, it } from 'vitest';

import { feedbackExportUrl, toFeedbackFilter, toFeedbackStatsFilter } from './feedbackFilter';

const range = { from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' };

describe('toFeedbackFilter', () => {
  it('sends every filter of the URL with the range, linked as a boolean', () => {
    expect(
      toFeedbackFilter(
        { appId: 'chat', model: 'gpt-4o', rating: 'NEGATIVE', status: 'OPEN', category: 'too slow', linked: 'false' },
        range,
      ),
    ).toEqual({
      appId: 'chat',
      model: 'gpt-4o',
      rating: 'NEGATIVE',
      status: 'OPEN',
      category: 'too slow',
      linked: false,
      ...range,
    });
    expect(toFeedbackFilter({ linked: 'true' }, range)).toEqual({ linked: true, ...range });
  });

  it('drops a rating, status or linked value the API does not know instead of failing the page', () => {
    expect(toFeedbackFilter({ rating: 'MEH', status: 'DONE', linked: 'maybe' }, range)).toEqual(range);
  });
});

describe('toFeedbackStatsFilter', () => {
  it('takes the same filters without linked and without a range, which statistics do not filter on', () => {
    expect(toFeedbackStatsFilter({ userId: 'u1', provider: 'openai', rating: 'POSITIVE', linked: 'true' })).toEqual({
      userId: 'u1',
      provider: 'openai',
      rating: 'POSITIVE',
    });
  });
});

describe('feedbackExportUrl', () => {
  it('asks the export for the list’s filter, leaving out what is not set', () => {
    const url = new URL(
      feedbackExportUrl({ rating: 'NEGATIVE', appId: 'chat', linked: false, model: null, from: '2026-03-01T00:00:00.000Z' }, 'csv'),
      'http://lumen',
    );
    expect(url.pathname).toBe('/v1/export/feedback');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      format: 'csv',
      rating: 'NEGATIVE',
      appId: 'chat',
      linked: 'false',
      from: '2026-03-01T00:00:00.000Z',
    });
  });
});
