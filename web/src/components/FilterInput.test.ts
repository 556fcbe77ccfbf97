import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';

import FilterInput from './FilterInput.vue';

describe('FilterInput', () => {
  it('keeps what is being typed while the page re-renders, and applies it on change', async () => {
    const wrapper = mount(FilterInput, { props: { modelValue: undefined, suggestions: ['gpt-4o'] } });
    const input = wrapper.get('input');
    input.element.value = 'old-model';
    await input.trigger('input');
    // New rows arrive and bring new suggestions before the user presses Enter.
    await wrapper.setProps({ suggestions: ['gpt-4o', 'gpt-4o-mini'] });
    expect(input.element.value).toBe('old-model');
    await input.trigger('change');
    expect(wrapper.emitted('update:modelValue')).toEqual([['old-model']]);
  });

  it('follows the applied value when it changes elsewhere, and reports clearing as undefined', async () => {
    const wrapper = mount(FilterInput, { props: { modelValue: 'chat' } });
    const input = wrapper.get('input');
    await wrapper.setProps({ modelValue: 'search' });
    expect(input.element.value).toBe('search');
    input.element.value = '  ';
    await input.trigger('input');
    await input.trigger('search');
    expect(wrapper.emitted('update:modelValue')).toEqual([[undefined]]);
  });
});
