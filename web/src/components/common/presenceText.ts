import type { User } from '@atende/core';
import type { Composer } from 'vue-i18n';

type T = Composer['t'];

/** "Online", "Pausa: Almoço", "Pausa automática (inatividade)", "Offline". */
export const presenceText = (t: T, user: Pick<User, 'presence' | 'pauseReasonName' | 'presenceCause' | 'onCallSince'>): string => {
  // Softphone: "Online · em ligação" while the agent's phone is on a call.
  if (user.onCallSince) return `${statusText(t, user)} · ${t('phone.onCall')}`;
  return statusText(t, user);
};

const statusText = (t: T, user: Pick<User, 'presence' | 'pauseReasonName' | 'presenceCause'>): string => {
  if (user.presence !== 'paused') return t(`presence.${user.presence}`);
  if (user.pauseReasonName) return t('presence.pausedFor', { reason: user.pauseReasonName });
  if (user.presenceCause === 'idle') return t('presence.idle');
  return t('presence.paused');
};
