import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';

import { i18n } from '../../i18n';
import ChartCard from './ChartCard.vue';

function card(state: 'loading' | 'empty' | 'error' | 'ready', error?: string) {
  return mount(ChartCard, {
    props: { title: 'Response time', state, error },
    slots: { default: '<div data-test="the-chart" />' },
    global: { plugins: [i18n] },
  });
}

describe('ChartCard', () => {
  it('shows the chart only when it is ready, and otherwise says why not', () => {
    expect(card('ready').find('[data-test=the-chart]').exists()).toBe(true);
    const loading = card('loading');
    expect(loading.find('[data-test=the-chart]').exists()).toBe(false);
    expect(loading.get('[data-test=chart-loading]').text()).toBe('Loading…');
    expect(loading.get('section').attributes('aria-busy')).toBe('true');
    expect(card('empty').get('[data-test=chart-empty]').text()).toBe('No data in this range');
    const failed = card('error', '[Network] Failed to fetch');
    expect(failed.get('[role=alert]').text()).toBe('This chart could not be loaded.');
    expect(failed.get('[role=alert]').attributes('title')).toBe('[Network] Failed to fetch');
  });
});
