import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { FeedbackInput } from '../../graphql/generated/operations';
import { i18n } from '../../i18n';
import FeedbackSubmitForm from './FeedbackSubmitForm.vue';
import type { SubmitOutcome } from './useFeedbackChanges';

const submit = vi.fn<(input: FeedbackInput) => Promise<SubmitOutcome>>();
vi.mock('./useFeedbackChanges', () => ({ useFeedbackChanges: () => ({ submit }) }));

const stored = { id: 'f-1', logId: '7', status: 'OPEN' } as never;
function form(props: Record<string, unknown> = {}) {
  return mount(FeedbackSubmitForm, { props, global: { plugins: [i18n] } });
}
const errorOf = (wrapper: ReturnType<typeof form>, name: string) =>
  wrapper.get(`[data-test=${name}]`).element.closest('.field')?.querySelector('.field__error')?.textContent ?? null;

afterEach(() => submit.mockReset());

describe('FeedbackSubmitForm', () => {
  it('says what is missing and sends nothing until the feedback names a call and has a rating', async () => {
    const wrapper = form();
    await wrapper.get('form').trigger('submit');
    expect(submit).not.toHaveBeenCalled();
    expect(errorOf(wrapper, 'logEventId')).toBe('Name the call: its event id, its trace, or at least its app.');
    expect(wrapper.text()).toContain('Choose thumbs up or thumbs down.');
  });

  it('sends feedback on the call of the log drawer, keeps its id on a retry and takes a new one after success', async () => {
    submit
      .mockResolvedValueOnce({ errors: { fields: { score: 'must be a whole number from 1 to 5' }, general: null } })
      .mockResolvedValue({ feedback: stored });
    const wrapper = form({ prefill: { logEventId: 'e-1', appId: 'chat', userId: 'u-1', traceId: '' }, fixedTarget: true });
    expect(wrapper.find('[data-test=logEventId]').exists()).toBe(false);
    await wrapper.get('[data-test=rate-NEGATIVE]').trigger('click');
    await wrapper.get('[data-test=score]').setValue('2');
    await wrapper.get('[data-test=category]').setValue(' too slow ');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(submit.mock.calls[0]![0]).toMatchObject({
      logEventId: 'e-1',
      appId: 'chat',
      userId: 'u-1',
      traceId: null,
      rating: 'NEGATIVE',
      score: 2,
      category: 'too slow',
    });
    expect(errorOf(wrapper, 'score')).toBe('must be a whole number from 1 to 5');

    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(submit.mock.calls[1]![0].feedbackId).toBe(submit.mock.calls[0]![0].feedbackId);
    expect(wrapper.emitted('sent')).toEqual([[stored]]);
    expect((wrapper.get('[data-test=category]').element as HTMLInputElement).value).toBe('');

    await wrapper.get('[data-test=rate-POSITIVE]').trigger('click');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(submit.mock.calls[2]![0].feedbackId).not.toBe(submit.mock.calls[0]![0].feedbackId);
  });
});
