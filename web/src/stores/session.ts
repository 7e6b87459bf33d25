import type { Presence, User } from '@atende/core';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { backend, loadBackend } from '@/backend';
import { onSessionLost } from '@/backend/sessionLost';
import { startIdlePause } from '@/composables/usePresenceIdle';
import { useCatalogStore } from './catalog';
import { useTicketsStore } from './tickets';

/** Who is signed in, and the live workspace that comes with a session. */
export const useSessionStore = defineStore('session', () => {
  const signedIn = shallowRef<User | null>(null);
  const ready = ref(false);
  const connected = ref(true);
  /** Why the last session ended without the person asking: the login page says it (null: they signed out, or never signed in). */
  const ended = ref<'expired' | null>(null);
  let stopConnection: (() => void) | null = null;
  let stopLost: (() => void) | null = null;
  let stopIdle: (() => void) | null = null;
  let sessionCheck: ReturnType<typeof setInterval> | null = null;

  /**
   * While the live connection is down, ask now and then whether the session
   * still exists: a socket refused because the session ended (logout in
   * another tab, expiry) must lead to the login page, not to an endless
   * "reconnecting…".
   */
  function watchSession(isConnected: boolean) {
    connected.value = isConnected;
    if (isConnected) {
      if (sessionCheck) clearInterval(sessionCheck);
      sessionCheck = null;
      return;
    }
    sessionCheck ??= setInterval(async () => {
      try {
        if ((await backend().restore()) === null) await sessionLost();
      } catch {
        // The server is unreachable: keep waiting for it.
      }
    }, 5000);
  }

  /** The signed-in user as the team sees them now (presence changes arrive live). */
  const user = computed<User | null>(() => {
    const u = signedIn.value;
    if (!u) return null;
    const live = useCatalogStore().users.get(u.id);
    return live && live.updatedAt >= u.updatedAt ? live : u;
  });
  const role = computed(() => user.value?.role ?? null);

  /** The session ended underneath the console: stop everything and let the shell take the person to the login page, told why. */
  async function sessionLost() {
    if (!signedIn.value) return;
    stopWorkspace();
    ended.value = 'expired';
    // Stops the driver's reconnect attempts; the session is already gone on the server.
    await backend().signOut().catch(() => undefined);
  }

  function startWorkspace(u: User) {
    signedIn.value = u;
    ended.value = null;
    stopConnection?.();
    stopConnection = backend().onConnection(watchSession);
    stopLost?.();
    stopLost = onSessionLost(() => void sessionLost());
    useCatalogStore().start();
    useTicketsStore().start(u);
    stopIdle?.();
    stopIdle = startIdlePause(() => user.value?.presence ?? null);
  }

  function stopWorkspace() {
    useTicketsStore().stop();
    useCatalogStore().stop();
    stopConnection?.();
    stopConnection = null;
    stopLost?.();
    stopLost = null;
    stopIdle?.();
    stopIdle = null;
    if (sessionCheck) clearInterval(sessionCheck);
    sessionCheck = null;
    connected.value = true;
    signedIn.value = null;
  }

  async function restore() {
    if (ready.value) return;
    await loadBackend();
    try {
      const u = await backend().restore();
      if (u) startWorkspace(u);
    } catch (e) {
      console.warn('[session] restore failed', e);
    } finally {
      ready.value = true;
    }
  }

  async function signIn(email: string, password: string) {
    await loadBackend();
    const u = await backend().signIn(email.trim(), password);
    startWorkspace(u);
    ready.value = true;
    return u;
  }

  async function signOut() {
    try {
      // DESIGN §16: Sair ends presence now, not after the grace period.
      if (signedIn.value) await backend().run('presence.set', { presence: 'offline', cause: 'logout' }).catch(() => undefined);
      await backend().signOut();
    } finally {
      stopWorkspace();
    }
  }

  async function setPresence(presence: Presence, pauseReasonId: string | null = null) {
    const result = await backend().run('presence.set', { presence, ...(presence === 'paused' && { pauseReasonId }) });
    signedIn.value = result.user;
  }

  return { user, role, ready, connected, ended, restore, signIn, signOut, setPresence };
});
