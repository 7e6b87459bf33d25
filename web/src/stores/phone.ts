import type { CallOutcome } from '@atende/core';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { useRouter } from 'vue-router';
import { backend } from '@/backend';
import { i18n } from '@/i18n';
import { userMessage } from '@/i18n/errors';
import type { EngineEvents, LineFailure, SipEngine } from '@/phone/engine';
import { formatPhone } from '@/components/phone/phoneFormat';
import { useSessionStore } from './session';
import { useToastStore } from './toasts';
import { useWorkspaceStore } from './workspace';

export type LineStatus = 'off' | 'connecting' | 'registered' | 'unregistered' | 'error';

export interface PhoneCall {
  id: string;
  direction: 'in' | 'out';
  number: string;
  /** The contact's name when known, else the number as people read it. */
  who: string;
  state: 'ringing' | 'calling' | 'active';
  answeredAt: number | null;
  muted: boolean;
  held: boolean;
  /** The ticket the call is logged in (known before dialling out; after answering an incoming call). */
  ticketId: string | null;
}

/** What the PBX dials: digits, with the leading + of an international number. */
const dialable = (number: string): string => number.trim().replace(/(?!^\+)\D/g, '');

/**
 * The softphone (issue 17): registration with the company's PBX, the one
 * call at a time, and what calls do to tickets (`call.open`, `call.log`,
 * `presence.call`). The SIP engine (SIP.js) is imported on first use.
 */
export const usePhoneStore = defineStore('phone', () => {
  const toasts = useToastStore();
  const workspace = useWorkspaceStore();
  const router = useRouter();
  const t = i18n.global.t;

  const status = ref<LineStatus>('off');
  /** Why the phone is off: no PBX in the settings, or no extension on this user. */
  const missing = ref<'pbx' | 'extension' | null>(null);
  const error = ref<string | null>(null);
  const extension = ref<string | null>(null);
  const call = ref<PhoneCall | null>(null);
  const panelOpen = ref(false);
  const engine = shallowRef<SipEngine | null>(null);
  let url = '';
  let known: { ticketId: string | null } = { ticketId: null };

  const ready = computed(() => status.value === 'registered');
  /** Whether the workspace has a phone for this agent at all (click-to-call buttons show then). */
  const available = computed(() => status.value !== 'off');

  const failureText = (f: LineFailure | string): string =>
    f === 'auth'
      ? t('phone.errors.auth', { extension: extension.value ?? '' })
      : f === 'mic'
        ? t('phone.errors.mic')
        : f === 'micMissing'
          ? t('phone.errors.micMissing')
          : f === 'busy'
            ? t('phone.errors.busy')
            : f === 'unreachable'
              ? t('phone.errors.unreachable', { url })
              : t('phone.errors.callFailed', { reason: f });

  const openTicket = (ticketId: string) => {
    if (workspace.open(ticketId) === 'opened') void router.replace({ name: 'tickets', params: { ticketId } });
  };

  const events: EngineEvents = {
    registration(state, failure) {
      status.value = failure ? 'error' : state;
      if (failure) error.value = failureText(failure);
      else if (state === 'registered') error.value = null;
    },
    incoming(number, displayName, callId) {
      call.value = { id: callId || crypto.randomUUID(), direction: 'in', number, who: displayName || formatPhone(number), state: 'ringing', answeredAt: null, muted: false, held: false, ticketId: null };
      known = { ticketId: null };
      panelOpen.value = true;
      void backend()
        .run('call.identify', { number })
        .then((r) => {
          if (call.value?.number !== number) return;
          if (r.contact) call.value.who = r.contact.name;
          known = { ticketId: r.ticket?.id ?? null };
        })
        .catch(() => undefined);
    },
    established() {
      if (!call.value) return;
      call.value.state = 'active';
      call.value.answeredAt = Date.now();
      void backend().run('presence.call', { onCall: true }).catch(() => undefined);
    },
    ended(outcome, seconds, reason) {
      const ended = call.value;
      call.value = null;
      if (!ended) return;
      // The popover opened for the call; it closes with it (the thread now shows the call).
      panelOpen.value = false;
      if (ended.answeredAt) void backend().run('presence.call', { onCall: false }).catch(() => undefined);
      if (ended.direction === 'out' && outcome === 'failed') toasts.error(failureText(reason || 'failed'));
      const ticketId = ended.ticketId ?? known.ticketId;
      if (ticketId) void log(ticketId, ended, outcome, seconds);
      // The caller hung up before anyone answered: a ticket to call them back (one per call, however many phones rang).
      else if (ended.direction === 'in' && outcome !== 'answered' && reason === 'cancelled') void missed(ended);
    },
  };

  async function missed(c: PhoneCall) {
    try {
      await backend().run('call.missed', { callId: c.id, number: c.number, name: c.who === formatPhone(c.number) ? '' : c.who });
    } catch (e) {
      toasts.error(t('phone.errors.log', { reason: userMessage(e) }));
    }
  }

  async function log(ticketId: string, c: PhoneCall, outcome: CallOutcome, seconds: number) {
    try {
      await backend().run('call.log', { ticketId, callId: c.id, direction: c.direction, number: c.number, outcome, durationSeconds: seconds });
    } catch (e) {
      toasts.error(t('phone.errors.log', { reason: userMessage(e) }));
    }
  }

  /** Asks for this agent's SIP account and registers; quiet when the workspace has no phone. */
  async function start() {
    if (engine.value || status.value === 'connecting') return;
    const user = useSessionStore().user;
    if (!user) return;
    let creds;
    try {
      creds = await backend().run('sip.credentials', {});
    } catch {
      return;
    }
    if (!creds.configured) {
      missing.value = creds.missing;
      status.value = 'off';
      return;
    }
    missing.value = null;
    extension.value = creds.extension;
    url = creds.wsUrl;
    status.value = 'connecting';
    let Engine: typeof SipEngine;
    try {
      Engine = (await import('@/phone/engine')).SipEngine;
    } catch {
      status.value = 'error';
      error.value = t('phone.errors.load');
      return;
    }
    const audio = document.createElement('audio');
    audio.autoplay = true;
    audio.dataset.testid = 'phone-audio';
    document.body.append(audio);
    const e = new Engine({ wsUrl: creds.wsUrl, domain: creds.domain, iceServers: creds.iceServers, extension: creds.extension, password: creds.password, displayName: user.name }, events, audio);
    engine.value = e;
    try {
      await e.start();
    } catch (err) {
      status.value = 'error';
      error.value = failureText(err instanceof Error ? err.message : 'unreachable');
    }
  }

  async function stop() {
    const e = engine.value;
    engine.value = null;
    call.value = null;
    status.value = 'off';
    await e?.stop();
    document.querySelectorAll('audio[data-testid="phone-audio"]').forEach((a) => a.remove());
  }

  async function reconnect() {
    await stop();
    await start();
  }

  /**
   * Calls a number. With a ticket, the call is logged there; from the contact
   * search, `call.open` first finds the contact's ticket or opens one.
   */
  async function dial(number: string, context: { ticketId?: string; contactId?: string; name?: string } = {}) {
    const e = engine.value;
    const target = dialable(number);
    if (!e || !ready.value) return void toasts.error(error.value ?? t('phone.status.unregistered'));
    if (call.value) return void toasts.error(t('phone.errors.busy'));
    if (target.replace('+', '').length < 3) return void toasts.error(t('phone.errors.number'));
    let ticketId = context.ticketId ?? null;
    const c: PhoneCall = { id: crypto.randomUUID(), direction: 'out', number: target, who: context.name || formatPhone(target), state: 'calling', answeredAt: null, muted: false, held: false, ticketId };
    call.value = c;
    panelOpen.value = true;
    try {
      if (!ticketId) {
        ticketId = (await backend().run('call.open', { number: target, contactId: context.contactId ?? null, name: context.name ?? '' })).ticketId;
        c.ticketId = ticketId;
        if (call.value) call.value.ticketId = ticketId;
        openTicket(ticketId);
      }
      await e.call(target.replace('+', ''));
    } catch (err) {
      if (call.value?.id === c.id && call.value.state === 'calling' && !e.busy) call.value = null;
      const why = err instanceof Error && ['mic', 'micMissing', 'busy', 'failed'].includes(err.message) ? err.message : null;
      toasts.error(why && why !== 'failed' ? failureText(why) : why === 'failed' ? t('phone.errors.callFailed', { reason: t('phone.outcome.failed') }) : userMessage(err));
    }
  }

  async function answer() {
    const c = call.value;
    const e = engine.value;
    if (!c || !e || c.state !== 'ringing') return;
    try {
      await e.answer();
    } catch (err) {
      toasts.error(failureText(err instanceof Error ? err.message : 'failed'));
      return;
    }
    try {
      const { ticketId } = await backend().run('call.open', { number: c.number, contactId: null, name: c.who === formatPhone(c.number) ? '' : c.who });
      if (call.value?.id === c.id) call.value.ticketId = ticketId;
      else known = { ticketId };
      openTicket(ticketId);
    } catch (err) {
      toasts.error(userMessage(err));
    }
  }

  const hangup = () => engine.value?.hangup();

  function toggleMute() {
    if (!call.value) return;
    call.value.muted = !call.value.muted;
    engine.value?.setMuted(call.value.muted);
  }

  async function toggleHold() {
    const c = call.value;
    if (!c || c.state !== 'active') return;
    try {
      await engine.value?.setHeld(!c.held);
      c.held = !c.held;
    } catch (err) {
      toasts.error(userMessage(err));
    }
  }

  const dtmf = (tone: string) => engine.value?.dtmf(tone) ?? false;

  /** Opens and closes the microphone: null when it works, else the reason in the person's words. */
  async function checkMicrophone(): Promise<string | null> {
    const { SipEngine: Engine } = await import('@/phone/engine');
    const failure = await Engine.checkMicrophone();
    return failure ? failureText(failure) : null;
  }

  return { status, missing, error, extension, call, panelOpen, ready, available, start, stop, reconnect, dial, answer, hangup, toggleMute, toggleHold, dtmf, checkMicrophone, openTicket };
});
