import { describe, expect, it } from 'vitest';

import { parseContent } from './content';
import { parseInline, parseMarkdown, safeHref } from './markdown';

describe('parseContent', () => {
  it('reads a list of messages as a chat, with OpenAI tool calls and their results', () => {
    const prompt = JSON.stringify([
      { role: 'system', content: 'You answer about orders.' },
      { role: 'user', content: [{ type: 'text', text: 'Where is order 1042?' }] },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'find_order', arguments: '{"id":1042}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"status":"shipped"}' },
    ]);
    const content = parseContent(prompt);
    expect(content.kind).toBe('chat');
    if (content.kind !== 'chat') return;
    expect(content.messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(content.messages[1]!.text).toBe('Where is order 1042?');
    expect(content.messages[2]!.text).toBeNull();
    expect(content.messages[2]!.toolCalls).toEqual([{ id: 'call_1', name: 'find_order', arguments: '{"id":1042}' }]);
    expect(content.messages[3]!.toolCallId).toBe('call_1');
  });

  it('reads Anthropic tool_use and tool_result parts', () => {
    const content = parseContent(
      JSON.stringify([
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Looking.' },
            { type: 'tool_use', id: 'tu_1', name: 'lookup', input: { q: 'x' } },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'tu_1', content: 'found' }] },
      ]),
    );
    if (content.kind !== 'chat') throw new Error(`read as ${content.kind}`);
    expect(content.messages[0]!.text).toBe('Looking.');
    expect(content.messages[0]!.toolCalls[0]).toMatchObject({ id: 'tu_1', name: 'lookup' });
    expect(JSON.parse(content.messages[0]!.toolCalls[0]!.arguments)).toEqual({ q: 'x' });
    expect(content.messages[1]).toMatchObject({ text: 'found', toolCallId: 'tu_1' });
  });

  it('reads a request body with messages and a response with choices as chats', () => {
    const request = parseContent(JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] }));
    expect(request.kind === 'chat' && request.messages[0]!.text).toBe('Hi');
    const response = parseContent(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!' } }] }));
    expect(response.kind === 'chat' && response.messages[0]).toMatchObject({ role: 'assistant', text: 'Hello!' });
  });

  it('keeps other JSON as JSON and anything else as text', () => {
    expect(parseContent('{"error":{"code":429}}')).toEqual({ kind: 'json', value: { error: { code: 429 } } });
    expect(parseContent('[1,2]')).toEqual({ kind: 'json', value: [1, 2] });
    expect(parseContent('[{"role":"user","content":"cut off')).toEqual({ kind: 'text', text: '[{"role":"user","content":"cut off' });
    expect(parseContent('**Shipped** today.')).toEqual({ kind: 'text', text: '**Shipped** today.' });
  });
});

describe('parseMarkdown', () => {
  it('reads headings, paragraphs, fenced code, lists, quotes and rules', () => {
    const blocks = parseMarkdown(
      '# Title\n\nSome `code` and **bold**.\n\n```ts\nconst a = 1;\n```\n- one\n- two\n\n1. first\n> quoted\n\n---',
    );
    expect(blocks.map((block) => block.type)).toEqual(['heading', 'paragraph', 'code', 'list', 'list', 'quote', 'rule']);
    expect(blocks[2]).toEqual({ type: 'code', lang: 'ts', text: 'const a = 1;' });
    expect(blocks[1]).toEqual({
      type: 'paragraph',
      children: [
        { type: 'text', text: 'Some ' },
        { type: 'code', text: 'code' },
        { type: 'text', text: ' and ' },
        { type: 'strong', children: [{ type: 'text', text: 'bold' }] },
        { type: 'text', text: '.' },
      ],
    });
  });

  it('links only to http, https and mailto targets', () => {
    expect(safeHref('https://example.com')).toBe('https://example.com');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(parseInline('[click](javascript:alert(1))').some((node) => node.type === 'link')).toBe(false);
    expect(parseInline('[docs](https://lumen.dev)')).toEqual([
      { type: 'link', href: 'https://lumen.dev', children: [{ type: 'text', text: 'docs' }] },
    ]);
  });
});
