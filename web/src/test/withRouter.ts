import { mount } from '@vue/test-utils';
import { defineComponent, h } from 'vue';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';

import { i18n } from '../i18n';

/**
 * Runs a composable inside a mounted component with a memory router at `url`, as a page would,
 * and returns what it returned with the router to inspect the URL.
 */
export async function withRouter<T>(url: string, composable: () => T): Promise<{ result: T; router: Router }> {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:path(.*)*', component: { render: () => null } }] });
  await router.push(url);
  await router.isReady();
  let result!: T;
  const Host = defineComponent({
    setup() {
      result = composable();
      return () => h('div');
    },
  });
  mount(Host, { global: { plugins: [router, i18n] } });
  return { result, router };
}
