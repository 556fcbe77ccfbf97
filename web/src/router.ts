import { createRouter, createWebHistory, type RouteRecordRaw, type RouterHistory } from 'vue-router';

import type { IconName } from './components/icons';
import type { ApiKeyRole } from './graphql/generated/operations';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a key (sign-in). */
    public?: boolean;
    /** The roles that may open the page; every signed-in key when absent. */
    roles?: readonly ApiKeyRole[];
    /** Shown in the navigation, in this order, to the roles above. */
    nav?: { label: string; icon: IconName; order: number };
  }
}

const READERS: readonly ApiKeyRole[] = ['ADMIN', 'READ'];

/** Every page of the app. A page is added here and in features/<feature>/ (see features/README.md). */
export const routes: RouteRecordRaw[] = [
  { path: '/sign-in', name: 'sign-in', component: () => import('./features/session/SignInPage.vue'), meta: { public: true } },
  { path: '/', name: 'home', redirect: '/dashboard' },
  {
    path: '/dashboard',
    name: 'dashboard',
    component: () => import('./features/dashboard/DashboardPage.vue'),
    meta: { roles: READERS, nav: { label: 'nav.dashboard', icon: 'dashboard', order: 5 } },
  },
  {
    path: '/logs',
    name: 'logs',
    component: () => import('./features/logs/LogsPage.vue'),
    meta: { roles: READERS, nav: { label: 'nav.logs', icon: 'logs', order: 10 } },
  },
  {
    path: '/traces',
    name: 'traces',
    meta: { roles: READERS, nav: { label: 'nav.traces', icon: 'traces', order: 12 } },
    children: [
      { path: '', name: 'traces-list', component: () => import('./features/traces/TracesPage.vue') },
      { path: ':traceId', name: 'trace', component: () => import('./features/traces/TracePage.vue') },
    ],
  },
  {
    path: '/sessions',
    name: 'sessions',
    meta: { roles: READERS, nav: { label: 'nav.sessions', icon: 'sessions', order: 14 } },
    children: [
      { path: '', name: 'sessions-list', component: () => import('./features/sessions/SessionsPage.vue') },
      { path: ':sessionId', name: 'session', component: () => import('./features/sessions/SessionPage.vue') },
    ],
  },
  {
    path: '/users',
    name: 'users',
    component: () => import('./features/users/UsersPage.vue'),
    meta: { roles: READERS, nav: { label: 'nav.users', icon: 'users', order: 16 } },
  },
  {
    path: '/costs',
    name: 'costs',
    component: () => import('./features/costs/CostsPage.vue'),
    meta: { roles: READERS, nav: { label: 'nav.costs', icon: 'costs', order: 20 } },
  },
  {
    path: '/feedback',
    name: 'feedback',
    component: () => import('./features/feedback/FeedbackPage.vue'),
    meta: { roles: READERS, nav: { label: 'nav.feedback', icon: 'feedback', order: 30 } },
  },
  {
    path: '/alerts',
    name: 'alerts',
    meta: { roles: READERS, nav: { label: 'nav.alerts', icon: 'bell', order: 25 } },
    children: [
      { path: '', name: 'alerts-inbox', component: () => import('./features/alerts/AlertInboxPage.vue') },
      { path: 'rules', name: 'alerts-rules', component: () => import('./features/alerts/AlertRulesPage.vue') },
      { path: 'channels', name: 'alerts-channels', component: () => import('./features/alerts/NotificationChannelsPage.vue') },
      { path: 'silences', name: 'alerts-silences', component: () => import('./features/alerts/SilencesPage.vue') },
    ],
  },
  {
    path: '/keys',
    name: 'keys',
    component: () => import('./features/keys/KeysPage.vue'),
    meta: { roles: ['ADMIN'], nav: { label: 'nav.keys', icon: 'keys', order: 90 } },
  },
  {
    path: '/send-data',
    name: 'ingest-only',
    component: () => import('./features/session/IngestOnlyPage.vue'),
    meta: { roles: ['INGEST'] },
  },
  { path: '/:pathMatch(.*)*', redirect: '/' },
];

export function createLumenRouter(history: RouterHistory = createWebHistory()) {
  return createRouter({ history, routes });
}
