import { defineComponent, h, type VNode } from 'vue';

import { parseMarkdown, type Block, type Inline } from './markdown';

/** Renders markdown as Vue nodes built from text only: no HTML string ever reaches the page. */
function inline(nodes: Inline[]): (VNode | string)[] {
  return nodes.map((node) => {
    switch (node.type) {
      case 'text':
        return node.text;
      case 'code':
        return h('code', node.text);
      case 'strong':
        return h('strong', inline(node.children));
      case 'em':
        return h('em', inline(node.children));
      case 'link':
        return h('a', { href: node.href, target: '_blank', rel: 'noopener noreferrer nofollow' }, inline(node.children));
    }
  });
}

function block(node: Block): VNode {
  switch (node.type) {
    case 'heading':
      return h(`h${Math.min(node.level + 3, 6)}`, { class: 'md__heading' }, inline(node.children));
    case 'paragraph':
      return h('p', inline(node.children));
    case 'code':
      return h('pre', { class: 'md__code', 'data-lang': node.lang || undefined }, [h('code', node.text)]);
    case 'list':
      return h(
        node.ordered ? 'ol' : 'ul',
        node.ordered && node.start !== 1 ? { start: node.start } : {},
        node.items.map((item) => h('li', inline(item))),
      );
    case 'quote':
      return h('blockquote', node.children.map(block));
    case 'rule':
      return h('hr');
  }
}

export default defineComponent({
  name: 'MarkdownView',
  props: { text: { type: String, required: true } },
  setup(props) {
    return () => h('div', { class: 'md' }, parseMarkdown(props.text).map(block));
  },
});
