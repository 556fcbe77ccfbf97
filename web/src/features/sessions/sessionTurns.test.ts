import { describe, expect, it } from 'vitest';

import { turnFeedback, turnText, type TurnFeedback } from './sessionTurns';

describe('turnText', () => {
  it("takes the query and the answer from the span nearest the root that has them (Dify's message span)", () => {
    const spans = [
      { spanId: 'llm', parentSpanId: 'message', input: '{"query":"Where is my order?"}', output: 'It ships today.' },
      { spanId: 'root', parentSpanId: null, input: null, output: null },
      { spanId: 'message', parentSpanId: 'root', input: 'Where is my order?', output: 'It ships today.' },
    ];
    expect(turnText(spans)).toEqual({ input: 'Where is my order?', output: 'It ships today.' });
  });

  it('reads input and output from different spans when one alone lacks the answer, and copes with cycles', () => {
    const spans = [
      { spanId: 'a', parentSpanId: 'b', input: 'question', output: '' },
      { spanId: 'b', parentSpanId: 'a', input: null, output: null },
      { spanId: 'c', parentSpanId: 'a', output: 'answer' },
    ];
    expect(turnText(spans)).toEqual({ input: 'question', output: 'answer' });
    expect(turnText([])).toEqual({ input: null, output: null });
  });
});

describe('turnFeedback', () => {
  it('lists negative feedback first, over every call of the turn', () => {
    const calls: { feedback: TurnFeedback[] }[] = [
      { feedback: [{ rating: 'POSITIVE', comment: 'thanks' }] },
      { feedback: [{ rating: 'NEGATIVE', comment: 'wrong order' }] },
    ];
    expect(turnFeedback(calls).map((f) => f.comment)).toEqual(['wrong order', 'thanks']);
  });
});
