import type { Channel, Classification, MalformedDocument, PauseReason, QuickReply, Sector, Settings, Tag, User } from '@atende/core';
import { defineStore } from 'pinia';
import { computed, shallowReactive, shallowRef } from 'vue';
import { backend, type LiveEvent } from '@/backend';
import { followCatalogues } from '@/live/catalogues';
import { VERSIONED_CATALOGUES } from '@/live/consolePlan';
import { subscribeLive } from '@/live/table';

interface Collections {
  users: User;
  sectors: Sector;
  channels: Channel;
  tags: Tag;
  classifications: Classification;
  quickReplies: QuickReply;
  pauseReasons: PauseReason;
}
type Name = keyof Collections;
const names: Name[] = ['users', 'sectors', 'channels', 'tags', 'classifications', 'quickReplies', 'pauseReasons'];

type Versioned = (typeof VERSIONED_CATALOGUES)[number];

/**
 * The workspace's reference data: sectors, team, channels, tags,
 * classifications, quick replies, pause reasons, settings. The team
 * (`users.all`) is always live: it carries everyone's presence. The others
 * are loaded once and again when their version moves on Firebase, live on
 * the embedded server (web/src/live/catalogues.ts).
 */
export const useCatalogStore = defineStore('catalog', () => {
  const byName = {
    users: shallowReactive(new Map<string, User>()),
    sectors: shallowReactive(new Map<string, Sector>()),
    channels: shallowReactive(new Map<string, Channel>()),
    tags: shallowReactive(new Map<string, Tag>()),
    classifications: shallowReactive(new Map<string, Classification>()),
    quickReplies: shallowReactive(new Map<string, QuickReply>()),
    pauseReasons: shallowReactive(new Map<string, PauseReason>()),
  };
  const settings = shallowRef<Settings | null>(null);
  /**
   * The documents the backend left out as malformed (issue 15, H2: broken by hand in the Firebase console), by
   * path (`quickReplies/abc`): the shell shows them to admins, naming the document and the field, until fixed.
   */
  const malformed = shallowReactive(new Map<string, MalformedDocument>());
  let stops: (() => void)[] = [];

  /** What an event of `collection` says about its malformed documents: a snapshot says all of them, a change its own. */
  function noteMalformed(collection: string, event: LiveEvent<{ id: string }>) {
    if (event.type === 'error') return;
    if (event.type === 'snapshot') {
      for (const path of [...malformed.keys()]) if (path.startsWith(`${collection}/`)) malformed.delete(path);
    } else for (const c of event.changes) malformed.delete(`${collection}/${c.doc.id}`);
    for (const m of event.malformed ?? []) malformed.set(m.path, m);
  }

  function apply<N extends Name>(name: N, event: LiveEvent<Collections[N]>) {
    const map = byName[name] as Map<string, Collections[N]>;
    if (event.type === 'error') return console.warn(`[catalog] ${name}:`, event.error.message);
    noteMalformed(name, event);
    if (event.type === 'snapshot') {
      map.clear();
      for (const d of event.docs) map.set(d.id, d);
      return;
    }
    for (const c of event.changes) {
      if (c.type === 'removed') map.delete(c.doc.id);
      else map.set(c.doc.id, c.doc);
    }
  }

  /** A malformed settings document is left out by the backend: the console keeps the last good one it had (none: the screens' defaults). */
  function applySettings(event: LiveEvent<Settings>) {
    noteMalformed('settings', event as LiveEvent<{ id: string }>);
    const broken = event.type !== 'error' && (event.malformed?.length ?? 0) > 0;
    if (event.type === 'snapshot') settings.value = event.docs[0] ?? (broken ? settings.value : null);
    else if (event.type === 'changes') for (const c of event.changes) settings.value = c.type !== 'removed' ? c.doc : broken ? settings.value : null;
  }

  function applyVersioned(query: Versioned, event: LiveEvent<unknown>) {
    if (query === 'settings') applySettings(event as LiveEvent<Settings>);
    else {
      const name = query.slice(0, -'.all'.length) as Exclude<Name, 'users'>;
      apply(name, event as LiveEvent<Collections[typeof name]>);
    }
  }

  function start() {
    stop();
    stops = [subscribeLive('users.all', {}, (e) => apply('users', e)), followCatalogues(backend(), VERSIONED_CATALOGUES, applyVersioned)];
  }

  function stop() {
    for (const s of stops) s();
    stops = [];
    for (const n of names) byName[n].clear();
    settings.value = null;
    malformed.clear();
  }

  const sorted = <T extends { name: string }>(m: Map<string, T>) => computed(() => [...m.values()].sort((a, b) => a.name.localeCompare(b.name, 'pt-BR')));

  return {
    users: byName.users,
    sectors: byName.sectors,
    channels: byName.channels,
    tags: byName.tags,
    classifications: byName.classifications,
    quickReplies: byName.quickReplies,
    pauseReasons: byName.pauseReasons,
    settings,
    malformed,
    sectorList: sorted(byName.sectors),
    userList: sorted(byName.users),
    channelList: sorted(byName.channels),
    tagList: sorted(byName.tags),
    classificationList: sorted(byName.classifications),
    pauseReasonList: sorted(byName.pauseReasons),
    apply,
    applySettings,
    noteMalformed,
    start,
    stop,
  };
});
