import type { Role } from '@atende/core';
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { useSessionStore } from '@/stores/session';

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean;
    roles?: Role[];
    /** i18n key of the page title in the top bar. */
    title?: string;
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/pages/LoginPage.vue'), meta: { public: true } },
  {
    path: '/',
    component: () => import('@/components/shell/ShellLayout.vue'),
    children: [
      { path: '', redirect: { name: 'tickets' } },
      { path: 'atendimentos/:ticketId?', name: 'tickets', component: () => import('@/pages/TicketsPage.vue'), meta: { title: 'nav.tickets' } },
      { path: 'supervisao/:ticketId?', name: 'supervision', component: () => import('@/pages/SupervisionPage.vue'), meta: { roles: ['supervisor', 'admin'], title: 'nav.supervision' } },
      { path: 'historico', name: 'history', component: () => import('@/pages/HistoryPage.vue'), meta: { title: 'nav.history' } },
      { path: 'admin', name: 'admin', component: () => import('@/pages/AdminPage.vue'), meta: { roles: ['admin'], title: 'nav.admin' } },
    ],
  },
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  const session = useSessionStore();
  await session.restore();
  if (to.meta.public) return session.user && to.name === 'login' ? { name: 'tickets' } : true;
  if (!session.user) return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} };
  if (to.meta.roles && !to.meta.roles.includes(session.user.role)) return { name: 'tickets' };
  return true;
});
