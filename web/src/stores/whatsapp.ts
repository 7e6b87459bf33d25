import type { Contact, MessageTemplate } from '@atende/core';
import { defineStore } from 'pinia';
import { computed, ref, shallowReactive } from 'vue';
import { backend, type LiveEvent } from '@/backend';
import { subscribeLive } from '@/live/table';
import { useCatalogStore } from './catalog';

/**
 * WhatsApp beyond free text (issue 11): the channels' approved templates
 * (followed only while someone needs them: the picker, Nova conversa, the
 * admin screen), template messages, sending a failed message again, new
 * conversations, connecting a number and syncing its templates.
 */
export const useWhatsAppStore = defineStore('whatsapp', () => {
  const templates = shallowReactive(new Map<string, MessageTemplate>());
  const loaded = ref(false);
  let users = 0;
  let stop: (() => void) | null = null;

  function apply(event: LiveEvent<MessageTemplate>) {
    if (event.type === 'error') return console.warn('[whatsapp] templates:', event.error.message);
    // One broken by hand in the Firebase console is left out by the backend; the shell's notice names it.
    useCatalogStore().noteMalformed('templates', event);
    if (event.type === 'snapshot') {
      templates.clear();
      for (const d of event.docs) templates.set(d.id, d);
      loaded.value = true;
      return;
    }
    for (const c of event.changes) {
      if (c.type === 'removed') templates.delete(c.doc.id);
      else templates.set(c.doc.id, c.doc);
    }
  }

  /** Follows the templates while the returned function has not been called. */
  function follow(): () => void {
    users += 1;
    stop ??= subscribeLive('templates.all', {}, (e) => apply(e as LiveEvent<MessageTemplate>));
    let done = false;
    return () => {
      if (done) return;
      done = true;
      users -= 1;
      if (users === 0 && stop) {
        stop();
        stop = null;
        loaded.value = false;
        templates.clear();
        useCatalogStore().noteMalformed('templates', { type: 'snapshot', docs: [] });
      }
    };
  }

  const all = computed(() => [...templates.values()].sort((a, b) => a.name.localeCompare(b.name, 'pt-BR') || a.language.localeCompare(b.language)));
  /** What an agent may send on a channel from a sector: approved, and not restricted to other sectors. */
  const sendable = (channelId: string, sectorId: string | null, isAdmin: boolean) =>
    all.value.filter((t) => t.channelId === channelId && t.status === 'APPROVED' && (isAdmin || t.sectorIds.length === 0 || (sectorId !== null && t.sectorIds.includes(sectorId))));

  /** Contacts whose name starts with `prefix` (one read, no live subscription kept). */
  const searchContacts = (prefix: string): Promise<Contact[]> =>
    new Promise((resolve) => {
      let stop: (() => void) | null = null;
      let done = false;
      const finish = (docs: Contact[]) => {
        if (done) return;
        done = true;
        resolve(docs);
        queueMicrotask(() => stop?.());
      };
      stop = backend().subscribe('contacts.search', { prefix, limit: 8 }, (e) => finish(e.type === 'snapshot' ? (e.docs as Contact[]) : []));
      if (done) stop();
    });

  const newClientId = () => `tpl-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

  return {
    templates,
    loaded,
    all,
    sendable,
    follow,
    searchContacts,
    sendTemplate: (ticketId: string, templateId: string, params: string[]) => backend().run('message.sendTemplate', { ticketId, templateId, params, clientId: newClientId() }),
    retry: (ticketId: string, messageId: string) => backend().run('message.retry', { ticketId, messageId }),
    start: (input: { channelId: string; phone: string; name: string; templateId: string; params: string[] }) => backend().run('conversation.start', { ...input, sectorId: null }),
    sync: (channelId: string) => backend().run('template.sync', { channelId, templates: [] }),
    restrict: (templateId: string, sectorIds: string[]) => backend().run('template.restrict', { templateId, sectorIds }),
    connect: (input: { channelId: string; account: { id: string; businessId: string | null; display: string | null }; accessToken?: string; appSecret?: string; verifyToken?: string }) =>
      backend().run('channel.connect', input),
  };
});
