import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';

import { i18n } from '../../i18n';
import RichContent from './RichContent.vue';

const render = (text: string | null) =>
  mount(RichContent, { props: { label: 'Response', text, testId: 'log-response' }, global: { plugins: [i18n] } });

describe('RichContent', () => {
  it('shows a chat as one block per message, labelled by role, with tool calls', () => {
    const wrapper = render(
      JSON.stringify([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Where is order 1042?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', function: { name: 'find_order', arguments: '{"id":1042}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'shipped' },
      ]),
    );
    const messages = wrapper.findAll('[data-test=message]');
    expect(messages.map((message) => message.attributes('data-role'))).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(messages[0]!.text()).toContain('System');
    expect(messages[1]!.text()).toContain('Where is order 1042?');
    expect(messages[2]!.find('[data-test=tool-call]').text()).toContain('find_order');
    expect(messages[2]!.find('[data-test=tool-call]').text()).toContain('1042');
    expect(messages[3]!.text()).toContain('call_1');
  });

  it('renders markdown: code blocks, lists and bold', () => {
    const wrapper = render('Here:\n\n```py\nprint(1)\n```\n\n- **one**\n- two');
    expect(wrapper.find('pre.md__code code').text()).toBe('print(1)');
    expect(wrapper.findAll('li')).toHaveLength(2);
    expect(wrapper.find('li strong').text()).toBe('one');
  });

  it('never turns HTML written by the model into elements', () => {
    const attack = 'Sure! <img src=x onerror=alert(1)> and <script>alert(2)</script> [x](javascript:alert(3))';
    for (const text of [attack, JSON.stringify([{ role: 'assistant', content: attack }]), JSON.stringify({ html: attack })]) {
      const wrapper = render(text);
      expect(wrapper.find('img').exists()).toBe(false);
      expect(wrapper.find('script').exists()).toBe(false);
      expect(wrapper.find('a').exists()).toBe(false);
      expect(wrapper.text()).toContain('<img src=x onerror=alert(1)>');
    }
  });

  it('folds JSON and switches to the raw text', async () => {
    const text = '{"error":{"code":429,"message":"Rate limited"}}';
    const wrapper = render(text);
    expect(wrapper.findAll('details').length).toBe(2);
    expect(wrapper.find('[data-test=json]').text()).toContain('"Rate limited"');
    await wrapper.find('[data-test=view-raw]').trigger('click');
    expect(wrapper.find('[data-test=raw]').text()).toBe(text);
    expect(wrapper.find('[data-test=view-raw]').attributes('aria-pressed')).toBe('true');
    await wrapper.find('[data-test=view-pretty]').trigger('click');
    expect(wrapper.find('[data-test=raw]').exists()).toBe(false);
  });

  it('says when nothing was recorded', () => {
    const wrapper = render(null);
    expect(wrapper.text()).toContain('Not recorded.');
    expect(wrapper.find('[data-test=copy]').exists()).toBe(false);
  });
});
