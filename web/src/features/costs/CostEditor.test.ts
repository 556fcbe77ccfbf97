import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { i18n } from '../../i18n';
import CostEditor from './CostEditor.vue';
import type { SaveOutcome } from './useCostChanges';

const save = vi.fn<(id: string | null, input: unknown) => Promise<SaveOutcome>>();
vi.mock('./useCostChanges', () => ({ useCostChanges: () => ({ save }) }));

function open() {
  return mount(CostEditor, { props: { open: true, config: null }, global: { plugins: [i18n] }, attachTo: document.body });
}
const field = (name: string) => document.querySelector(`[data-test=${name}]`) as HTMLInputElement;
const errorOf = (name: string) => field(name).closest('.field')?.querySelector('.field__error')?.textContent ?? null;
async function type(name: string, value: string) {
  field(name).value = value;
  field(name).dispatchEvent(new Event('input'));
  await flushPromises();
}
async function submit() {
  (document.querySelector('[data-test=save-price]') as HTMLButtonElement).click();
  await flushPromises();
}

afterEach(() => {
  document.body.innerHTML = '';
  save.mockReset();
});

describe('CostEditor', () => {
  it('shows what is wrong on each field and sends nothing until the form is valid', async () => {
    const wrapper = open();
    await flushPromises();
    await type('inputPricePerMillion', 'cheap');
    await submit();
    expect(save).not.toHaveBeenCalled();
    expect(errorOf('provider')).toBe('Required.');
    expect(errorOf('inputPricePerMillion')).toBe('A number such as 2.50, with at most 10 decimals.');
    wrapper.unmount();
  });

  it('sends the exact decimal strings and shows the server’s refusal on the field it names', async () => {
    save.mockResolvedValue({ errors: { fields: { provider: 'must be 1 to 64 characters' }, general: null } });
    const wrapper = open();
    await flushPromises();
    await type('provider', 'qwen');
    await type('model', 'qwen-max');
    await type('inputPricePerMillion', '1.6000000001');
    await type('outputPricePerMillion', '6.4');
    await submit();
    expect(save).toHaveBeenCalledWith(
      null,
      expect.objectContaining({ provider: 'qwen', model: 'qwen-max', inputPricePerMillion: '1.6000000001', outputPricePerMillion: '6.4' }),
    );
    expect(errorOf('provider')).toBe('must be 1 to 64 characters');
    expect(wrapper.emitted('saved')).toBeUndefined();

    // Editing the field makes the server's answer stale.
    await type('provider', 'qwen-cloud');
    expect(errorOf('provider')).toBeNull();
    wrapper.unmount();
  });
});

describe('CostEditor prefilled from a price in effect', () => {
  it('opens with the built-in price filled in, ready to save as an override', async () => {
    const prefill = {
      provider: 'openai',
      matchKind: 'model' as const,
      model: 'gpt-4o',
      modelPattern: '',
      inputPricePerMillion: '2.5',
      outputPricePerMillion: '10',
      cachedInputPricePerMillion: '1.25',
      currency: 'USD',
      effectiveFrom: '',
    };
    save.mockResolvedValue({ saved: { id: 'c-1', provider: 'openai', model: 'gpt-4o' } } as SaveOutcome);
    const wrapper = mount(CostEditor, {
      props: { open: true, config: null, prefill },
      global: { plugins: [i18n] },
      attachTo: document.body,
    });
    await flushPromises();
    expect(field('provider').value).toBe('openai');
    expect(field('model').value).toBe('gpt-4o');
    expect(field('inputPricePerMillion').value).toBe('2.5');
    await type('inputPricePerMillion', '2');
    await submit();
    expect(save).toHaveBeenCalledWith(
      null,
      expect.objectContaining({ provider: 'openai', model: 'gpt-4o', inputPricePerMillion: '2', outputPricePerMillion: '10' }),
    );
    expect(wrapper.emitted('saved')).toHaveLength(1);
    wrapper.unmount();
  });
});
