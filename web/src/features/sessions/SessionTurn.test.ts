import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';

import { i18n } from '../../i18n';
import SessionTurn from './SessionTurn.vue';
import type { SessionTrace } from './sessionTurns';

const router = createRouter({
  history: createMemoryHistory(),
  routes: [{ path: '/traces/:traceId', name: 'trace', component: { render: () => null } }],
});

// A Dify chat message as the API returns it: the query and the answer are on the "message" span.
const turn: SessionTrace = {
  traceId: 'trace-1',
  name: 'Dify',
  startTime: '2026-12-04T12:00:00.000Z',
  durationMs: 1800,
  status: 'ERROR',
  errorCount: 1,
  llmCallCount: 1,
  inputTokens: 210,
  outputTokens: 18,
  totalCost: '0.000705',
  spans: [
    { spanId: 'root', parentSpanId: null, input: null, output: null, errorMessage: null },
    { spanId: 'message', parentSpanId: 'root', input: 'Where is my order?', output: 'It ships today.', errorMessage: null },
    { spanId: 'llm', parentSpanId: 'message', input: '{"query":"Where is my order?"}', output: 'It ships today.', errorMessage: 'late' },
  ],
  calls: [
    {
      id: 'log-1',
      currency: 'USD',
      feedback: [
        { id: 'f-1', rating: 'POSITIVE', score: null, comment: null, category: null },
        { id: 'f-2', rating: 'NEGATIVE', score: null, comment: 'Wrong order', category: null },
      ],
    },
  ],
};

describe('SessionTurn', () => {
  it("shows the user's input, the answer, what it took, its status, negative feedback first and the link to its trace", async () => {
    await router.push('/traces/x');
    const wrapper = mount(SessionTurn, { props: { turn, n: 2 }, global: { plugins: [i18n, router] } });
    expect(wrapper.get('[data-test=turn-input]').text()).toBe('Where is my order?');
    expect(wrapper.get('[data-test=turn-output]').text()).toBe('It ships today.');
    expect(wrapper.text()).toContain('Turn 2');
    expect(wrapper.text()).toContain('228 tokens');
    expect(wrapper.get('[data-test=span-status]').text()).toBe('Error');
    const badges = wrapper.findAll('.session-turn__facts .badge').map((badge) => badge.text());
    expect(badges).toEqual(['Negative feedback: Wrong order', 'Positive feedback']);
    expect(wrapper.get('[data-test=open-trace]').attributes('href')).toBe('/traces/trace-1');
  });
});
