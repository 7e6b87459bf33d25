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
      { path: 'relatorios', name: 'reports', component: () => import('@/pages/ReportsPage.vue'), meta: { roles: ['supervisor', 'admin'], title: 'nav.reports' } },
      { path: 'historico', name: 'history', component: () => import('@/pages/HistoryPage.vue'), meta: { title: 'nav.history' } },
      {
        // Supervisors edit the catalogue and the attachment policy; the rest is the admin's (DESIGN §5).
        path: 'admin',
        component: () => import('@/pages/AdminPage.vue'),
        meta: { roles: ['supervisor', 'admin'], title: 'nav.admin' },
        children: [
          { path: '', name: 'admin', redirect: { name: 'admin.quickReplies' } },
          { path: 'respostas-rapidas', name: 'admin.quickReplies', component: () => import('@/pages/admin/AdminQuickRepliesPage.vue') },
          { path: 'etiquetas', name: 'admin.tags', component: () => import('@/pages/admin/AdminTagsPage.vue') },
          { path: 'classificacoes', name: 'admin.classifications', component: () => import('@/pages/admin/AdminClassificationsPage.vue') },
          { path: 'anexos', name: 'admin.attachments', component: () => import('@/pages/admin/AdminAttachmentsPage.vue') },
          { path: 'setores', name: 'admin.sectors', component: () => import('@/pages/admin/AdminSectorsPage.vue'), meta: { roles: ['admin'] } },
          { path: 'usuarios', name: 'admin.users', component: () => import('@/pages/admin/AdminUsersPage.vue'), meta: { roles: ['admin'] } },
          { path: 'canais', name: 'admin.channels', component: () => import('@/pages/admin/AdminChannelsPage.vue'), meta: { roles: ['admin'] } },
          { path: 'pausas', name: 'admin.pauseReasons', component: () => import('@/pages/admin/AdminPauseReasonsPage.vue'), meta: { roles: ['admin'] } },
          { path: 'automacao', name: 'admin.automation', component: () => import('@/pages/admin/AdminAutomationPage.vue'), meta: { roles: ['admin'] } },
          { path: 'telefonia', name: 'admin.phone', component: () => import('@/pages/admin/AdminPhonePage.vue'), meta: { roles: ['admin'] } },
          { path: 'copiloto', name: 'admin.copilot', component: () => import('@/pages/admin/AdminCopilotPage.vue'), meta: { roles: ['admin'] } },
        ],
      },
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
