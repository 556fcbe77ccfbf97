import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';

import type { SpanKind, SpanStatus } from '../../graphql/generated/operations';
import { i18n } from '../../i18n';
import SpanKindLegend from './SpanKindLegend.vue';
import type { TraceSpan } from './traceDetail';
import TraceWaterfall from './TraceWaterfall.vue';

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 4, 12, 0, 0) + seconds * 1000).toISOString();

function span(spanId: string, parentSpanId: string | null, kind: SpanKind, from: number, to: number, status: SpanStatus = 'OK'): TraceSpan {
  return {
    spanId,
    parentSpanId,
    name: spanId,
    kind,
    startTime: at(from),
    endTime: at(to),
    durationMs: (to - from) * 1000,
    status,
    errorMessage: status === 'ERROR' ? 'ValueError: order status unknown' : null,
    input: null,
    inputTruncated: false,
    output: null,
    outputTruncated: false,
    attributes: {},
    model: null,
    provider: null,
    inputTokens: null,
    outputTokens: null,
    cost: null,
    log: null,
  };
}

// A Dify workflow run as the API returns it: the root "Dify" was created at export, after its children.
const difyRun = [
  span('Dify', null, 'CHAIN', 4, 4),
  span('workflow', 'Dify', 'CHAIN', 0, 3.3, 'ERROR'),
  span('code', 'workflow', 'CHAIN', 3.1, 3.2, 'ERROR'),
  span('knowledge-retrieval', 'workflow', 'RETRIEVER', 0, 0.4),
  span('llm', 'workflow', 'LLM', 0.5, 2.6),
  span('tool', 'workflow', 'TOOL', 2.7, 3),
];

const waterfall = (spans: TraceSpan[], selectedId: string | null = null) =>
  mount(TraceWaterfall, { props: { spans, selectedId }, global: { plugins: [i18n] }, attachTo: document.body });

describe('TraceWaterfall', () => {
  it('draws the tree by parent links with each span indented, kind named and failures marked by an icon', () => {
    const rows = waterfall(difyRun).findAll('[data-test=span-row]');
    expect(rows.map((row) => [row.attributes('data-span'), row.attributes('data-depth'), row.attributes('data-kind')])).toEqual([
      ['Dify', '0', 'CHAIN'],
      ['workflow', '1', 'CHAIN'],
      ['knowledge-retrieval', '2', 'RETRIEVER'],
      ['llm', '2', 'LLM'],
      ['tool', '2', 'TOOL'],
      ['code', '2', 'CHAIN'],
    ]);
    const failed = rows.filter((row) => row.attributes('data-status') === 'ERROR');
    expect(failed.map((row) => row.attributes('data-span'))).toEqual(['workflow', 'code']);
    for (const row of failed) expect(row.find('.waterfall__error-icon').exists()).toBe(true);
    // The button's name is what it shows: name, kind, duration, and "Failed" for a failure.
    expect(rows[3].text()).toMatch(/^llm\s*LLM\s*2\.1 s/);
    expect(rows[5].text()).toMatch(/^code\s*Chain\s*Failed\s*100 ms/);
  });

  it('selects a span by click, marks the selected one, and moves between spans with the arrow keys', async () => {
    const wrapper = waterfall(difyRun, 'llm');
    const rows = wrapper.findAll('[data-test=span-row]');
    expect(rows.filter((row) => row.attributes('aria-pressed') === 'true').map((row) => row.attributes('data-span'))).toEqual(['llm']);
    await rows[4].trigger('click');
    expect(wrapper.emitted('select')).toEqual([['tool']]);
    (rows[4].element as HTMLElement).focus();
    await rows[4].trigger('keydown', { key: 'ArrowDown' });
    expect(document.activeElement).toBe(rows[5].element);
    await rows[5].trigger('keydown', { key: 'ArrowUp' });
    expect(document.activeElement).toBe(rows[4].element);
    wrapper.unmount();
  });

  it('shows spans whose root never arrived under a placeholder row', () => {
    const rows = waterfall([span('llm', 'lost-root', 'LLM', 0, 1), span('tool', 'lost-root', 'TOOL', 1, 2)]).findAll('li');
    expect(rows[0].find('[data-test=placeholder-root]').text()).toBe('Root span not received');
    expect(rows.slice(1).map((row) => row.get('[data-test=span-row]').attributes('data-depth'))).toEqual(['1', '1']);
  });
});

describe('SpanKindLegend', () => {
  it('names each kind shown and how a failure is marked, in Chinese too', async () => {
    const legend = mount(SpanKindLegend, { props: { kinds: ['LLM', 'RETRIEVER'], failed: true }, global: { plugins: [i18n] } });
    expect(legend.findAll('li').map((item) => item.text())).toEqual(['LLM', 'Retriever', 'Failed']);
    i18n.global.locale.value = 'zh-CN';
    await legend.vm.$nextTick();
    expect(legend.findAll('li').map((item) => item.text())).toEqual(['LLM', '检索', '失败']);
    i18n.global.locale.value = 'en';
  });
});
