import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';

import { i18n } from '../i18n';
import { toDateTimeLocal } from './dateTimeLocal';
import TimeRangePicker from './TimeRangePicker.vue';

function picker() {
  return mount(TimeRangePicker, { props: { modelValue: { kind: 'preset', preset: '24h' } }, global: { plugins: [i18n] } });
}

describe('TimeRangePicker', () => {
  it('marks the current preset and chooses another with one click', async () => {
    const wrapper = picker();
    expect(wrapper.get('[data-test=range-24h]').attributes('aria-pressed')).toBe('true');
    expect(wrapper.get('[data-test=range-label]').text()).toBe('Last 24 hours');
    await wrapper.get('[data-test=range-7d]').trigger('click');
    expect(wrapper.emitted('update:modelValue')).toEqual([[{ kind: 'preset', preset: '7d' }]]);
  });

  it('applies a custom range only when it starts before it ends', async () => {
    const wrapper = picker();
    await wrapper.get('[data-test=range-custom]').trigger('click');
    const from = '2026-03-01T10:00:00.000Z';
    const to = '2026-03-02T10:00:00.000Z';
    await wrapper.get('[data-test=range-from]').setValue(toDateTimeLocal(to));
    await wrapper.get('[data-test=range-to]').setValue(toDateTimeLocal(from));
    await wrapper.get('[data-test=custom-range]').trigger('submit');
    expect(wrapper.get('[role=alert]').text()).toBe('The start must be before the end.');
    expect(wrapper.emitted('update:modelValue')).toBeUndefined();

    await wrapper.get('[data-test=range-from]').setValue(toDateTimeLocal(from));
    await wrapper.get('[data-test=range-to]').setValue(toDateTimeLocal(to));
    await wrapper.get('[data-test=custom-range]').trigger('submit');
    await flushPromises();
    expect(wrapper.emitted('update:modelValue')).toEqual([[{ kind: 'custom', from, to }]]);
    expect(wrapper.find('[data-test=custom-range]').exists()).toBe(false);
  });
});
