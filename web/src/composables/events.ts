import type { SystemEvent } from '@atende/core';
import type { Composer } from 'vue-i18n';
import { useCatalogStore } from '@/stores/catalog';

/** The sentence a system line shows: "Ana Souza atendeu", "Transferido para Financeiro", "Finalizado". */
export const describeEvent = (t: Composer['t'], e: SystemEvent, catalog: ReturnType<typeof useCatalogStore>): string => {
  const actor = e.actorName ?? t('event.someone');
  switch (e.kind) {
    case 'created':
      return t('event.created');
    case 'accepted':
      return t('event.accepted', { actor });
    case 'transferred': {
      const targets = [
        e.toAssigneeId ? (catalog.users.get(e.toAssigneeId)?.name ?? e.toAssigneeId) : null,
        e.toSectorId && e.toSectorId !== e.fromSectorId ? (catalog.sectors.get(e.toSectorId)?.name ?? e.toSectorId) : null,
        e.toChannelId ? (catalog.channels.get(e.toChannelId)?.name ?? e.toChannelId) : null,
      ].filter(Boolean);
      const target = targets.join(' · ') || (e.toSectorId ? (catalog.sectors.get(e.toSectorId)?.name ?? e.toSectorId) : '—');
      return t('event.transferredSector', { target });
    }
    case 'returned':
      return e.actorName ? t('event.returned', { actor }) : t('event.returnedAuto');
    case 'closed':
      return e.actorName ? t('event.closed', { actor }) : t('event.closedAuto');
    case 'reopened':
      return t('event.reopened', { actor });
    case 'autoClosed':
      return t('event.autoClosed');
    case 'classified':
      return t('event.classified');
    case 'started':
      return t('channel.started', { actor });
    case 'summary':
      return t('event.summary');
    case 'call':
      return t('phone.event');
  }
};
