import type { Ticket } from '@atende/core';
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { i18n } from '@/i18n';

type Permission = NotificationPermission | 'unsupported';

const permissionNow = (): Permission => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);

let audio: AudioContext | null = null;

/** Two short rising tones, made on the spot so no sound file ships with the console. */
export const playChime = (): void => {
  const Ctx = globalThis.AudioContext ?? (globalThis as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctx) return;
  try {
    audio ??= new Ctx();
    if (audio.state === 'suspended') void audio.resume();
    const t0 = audio.currentTime;
    for (const [i, freq] of [880, 1320].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const start = t0 + i * 0.12;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.18, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.18);
      osc.connect(gain).connect(audio.destination);
      osc.start(start);
      osc.stop(start + 0.2);
    }
  } catch {
    // Browsers refuse audio before the first user gesture; the visual alerts still work.
  }
};

/** C6: sound, desktop notification and the count in the tab title for new tickets and new customer messages. */
export const useNotificationsStore = defineStore('notifications', () => {
  const permission = ref<Permission>(permissionNow());
  const muted = ref(false);

  async function requestPermission() {
    if (typeof Notification === 'undefined') return;
    permission.value = await Notification.requestPermission();
  }

  function alert(title: string, body: string, tag: string) {
    if (!muted.value) playChime();
    if (permission.value !== 'granted' || typeof document === 'undefined' || document.hasFocus()) return;
    try {
      const n = new Notification(title, { body, tag });
      n.onclick = () => {
        window.focus();
        n.close();
      };
    } catch {
      // Some browsers only allow notifications from a service worker.
    }
  }

  function newTicket(t: Ticket) {
    const { t: tr } = i18n.global;
    alert(tr('notify.newTicket', { name: t.contact.name }), t.lastMessage?.text ?? '', `ticket-${t.id}`);
  }

  function newMessage(t: Ticket) {
    const { t: tr } = i18n.global;
    alert(tr('notify.newMessage', { name: t.contact.name }), t.lastMessage?.text ?? '', `message-${t.id}`);
  }

  return { permission, muted, requestPermission, newTicket, newMessage };
});
