import { createRouter, createWebHistory } from 'vue-router';
import { useSession } from './features/session/session';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/sign-in', name: 'sign-in', component: () => import('./features/session/SignInPage.vue'), meta: { public: true } },
    { path: '/', redirect: '/logs' },
    { path: '/logs', name: 'logs', component: () => import('./features/logs/LogsPage.vue') },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});

// Every page but sign-in needs a key; a sign-in link (#key=...) is handled by the sign-in page.
router.beforeEach((to) => {
  const { signedIn } = useSession();
  if (!to.meta.public && !signedIn.value) return { name: 'sign-in', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
  return true;
});
