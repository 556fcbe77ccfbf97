import { describe, expect, it } from 'vitest';

import { emptyFeedbackForm, toFeedbackInput, validateFeedbackForm } from './feedbackForm';

describe('validateFeedbackForm', () => {
  it('asks for a rating and for the call the feedback is about (its event, its trace or at least its app)', () => {
    expect(validateFeedbackForm(emptyFeedbackForm())).toEqual({ logEventId: { key: 'target' }, rating: { key: 'rating' } });
    expect(validateFeedbackForm(emptyFeedbackForm({ appId: 'chat', rating: 'NEGATIVE' }))).toEqual({});
    expect(validateFeedbackForm(emptyFeedbackForm({ traceId: 't-1', rating: 'POSITIVE' }))).toEqual({});
  });

  it('refuses what the server refuses: a score outside 1–5, texts over their limits (counted in characters)', () => {
    const form = emptyFeedbackForm({
      logEventId: 'e-1',
      rating: 'NEGATIVE',
      score: '6',
      category: 'x'.repeat(65),
      comment: '好'.repeat(4001),
    });
    expect(validateFeedbackForm(form)).toEqual({
      score: { key: 'score' },
      category: { key: 'tooLong', params: { max: 64 } },
      comment: { key: 'tooLong', params: { max: 4000 } },
    });
    expect(validateFeedbackForm({ ...form, score: '5', category: 'too slow', comment: '😀'.repeat(4000) })).toEqual({});
  });
});

describe('toFeedbackInput', () => {
  it('sends trimmed text, null for what was left empty, the score as a number and the form’s feedbackId', () => {
    const form = emptyFeedbackForm({
      logEventId: ' e-1 ',
      appId: 'chat',
      rating: 'NEGATIVE',
      score: '2',
      category: ' wrong answer ',
      comment: '  ',
    });
    expect(toFeedbackInput(form, 'fb-1')).toEqual({
      feedbackId: 'fb-1',
      logEventId: 'e-1',
      traceId: null,
      appId: 'chat',
      userId: null,
      rating: 'NEGATIVE',
      score: 2,
      category: 'wrong answer',
      comment: null,
    });
    expect(toFeedbackInput({ ...form, score: '' }, 'fb-1').score).toBeNull();
  });
});
