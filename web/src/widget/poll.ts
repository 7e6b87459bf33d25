import type { DocChange, ErrorBody } from '@atende/core';
import { CUSTOMER_MESSAGES_LIMIT, CUSTOMER_TICKETS_COLLECTION, customerMessagesFromSpec, customerMessagesSpec, customerTicketsChangedSpec, customerTicketsSpec } from '@core/queries/customer.ts';
import type { CustomerActor } from '@core/policy.ts';
import type { FirestoreReads } from './firestoreRest.ts';
import type { LiveListener, WidgetLive } from './live.ts';

type Doc = Record<string, unknown> & { id: string };

export interface PollOptions {
  /** Milliseconds to the next round, from how long nothing changed and whether the page is hidden. */
  interval?: (quietMs: number, hidden: boolean) => number;
  online?: () => boolean;
  now?: () => number;
}

/** 3 s while the conversation moves, 10 s after two quiet minutes, 30 s in a hidden tab. */
export const defaultInterval = (quietMs: number, hidden: boolean): number => (hidden ? 30_000 : quietMs > 120_000 ? 10_000 : 3_000);

/**
 * The widget's two live queries on Firestore without the SDK's listeners:
 * rounds of REST reads, each costing what Firestore bills for it. A round
 * asks only for the visitor's tickets changed since the last one (one read
 * when nothing changed); a ticket's messages are read again only when its
 * projection changed (every message rewrites it), and then only the new
 * ones. What a round finds goes to the listeners as the embedded server's
 * socket tells it: a first `snapshot`, then `changes`. `kick()` starts a
 * round now (after the visitor sent something).
 */
export const pollingLive = (reads: FirestoreReads, actor: () => CustomerActor | null, o: PollOptions = {}): WidgetLive & { kick(): void } => {
  const interval = o.interval ?? defaultInterval;
  const online = o.online ?? (() => typeof navigator === 'undefined' || navigator.onLine !== false);
  const now = o.now ?? Date.now;
  let lastChange = now();
  let connected = true;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  const connection = new Set<(c: boolean) => void>();
  const setConnected = (c: boolean) => {
    if (c === connected) return;
    connected = c;
    for (const l of connection) l(c);
  };

  /** The visitor's tickets (the projection), by id, with the newest `updatedAt` seen. */
  const tickets = { held: new Map<string, Doc>(), since: -1, listeners: new Set<LiveListener>(), snapshotTold: new Set<LiveListener>() };
  interface MessagesSub {
    ticketId: string;
    limit: number;
    listener: LiveListener;
    held: Map<string, Doc> | null;
    /** The ticket projection's `updatedAt` when its messages were last read. */
    seenVersion: unknown;
    lastCreatedAt: number;
  }
  const messageSubs = new Set<MessagesSub>();

  const errorOf = (e: unknown): ErrorBody['error'] => {
    const err = e as { code?: unknown; message?: unknown } | null;
    return { code: (typeof err?.code === 'string' ? err.code : 'internal') as ErrorBody['error']['code'], message: typeof err?.message === 'string' ? err.message : 'Something went wrong', issues: [] };
  };
  const refused = (e: unknown) => ['permission-denied', 'unauthenticated', 'not-found', 'invalid-argument'].includes(String((e as { code?: unknown } | null)?.code));

  const roundTickets = async (who: CustomerActor) => {
    if (tickets.listeners.size === 0) return;
    const first = tickets.since < 0;
    const found = (await reads.query(first ? customerTicketsSpec(who) : customerTicketsChangedSpec(who, tickets.since), CUSTOMER_TICKETS_COLLECTION)) as Doc[];
    const changes: DocChange[] = [];
    for (const d of found) {
      const had = tickets.held.get(d.id);
      if (had && had.updatedAt === d.updatedAt) continue;
      tickets.held.set(d.id, d);
      changes.push({ type: had ? 'modified' : 'added', doc: d } as DocChange);
      tickets.since = Math.max(tickets.since, Number(d.updatedAt) || 0);
    }
    if (first) tickets.since = Math.max(tickets.since, 0);
    if (changes.length > 0) lastChange = now();
    for (const l of tickets.listeners) {
      if (!tickets.snapshotTold.has(l)) {
        tickets.snapshotTold.add(l);
        l({ type: 'snapshot', docs: [...tickets.held.values()] });
      } else if (changes.length > 0) l({ type: 'changes', changes });
    }
  };

  const roundMessages = async (who: CustomerActor, sub: MessagesSub) => {
    const version = tickets.held.get(sub.ticketId)?.updatedAt;
    // Known ticket, unchanged since its messages were read: nothing new to read.
    if (sub.held && tickets.listeners.size > 0 && version !== undefined && version === sub.seenVersion) return;
    if (!sub.held) {
      // The same check the catalogue makes (the rules refuse another visitor's projection anyway).
      const ticket = await reads.get(`${CUSTOMER_TICKETS_COLLECTION}/${sub.ticketId}`);
      if (!ticket || ticket.contactId !== who.contactId || ticket.channelId !== who.channelId) throw { code: 'permission-denied', message: 'you cannot see this ticket' };
    }
    const found = (await reads.query(sub.held ? customerMessagesFromSpec(sub.ticketId, sub.lastCreatedAt) : customerMessagesSpec(sub.ticketId, sub.limit))) as Doc[];
    if (!messageSubs.has(sub)) return;
    sub.seenVersion = version;
    if (!sub.held) {
      sub.held = new Map(found.map((d) => [d.id, d]));
      for (const d of found) sub.lastCreatedAt = Math.max(sub.lastCreatedAt, Number(d.createdAt) || 0);
      sub.listener({ type: 'snapshot', docs: found });
      return;
    }
    const added = found.filter((d) => !sub.held!.has(d.id));
    for (const d of added) {
      sub.held.set(d.id, d);
      sub.lastCreatedAt = Math.max(sub.lastCreatedAt, Number(d.createdAt) || 0);
    }
    if (added.length > 0) {
      lastChange = now();
      sub.listener({ type: 'changes', changes: added.map((doc) => ({ type: 'added', doc }) as DocChange) });
    }
  };

  const round = async () => {
    const who = actor();
    if (!who) return;
    try {
      await roundTickets(who);
      setConnected(true);
    } catch (e) {
      if (refused(e)) {
        for (const l of tickets.listeners) l({ type: 'error', error: errorOf(e) });
        tickets.listeners.clear();
      } else setConnected(false);
    }
    await Promise.all(
      [...messageSubs].map(async (sub) => {
        try {
          await roundMessages(who, sub);
          setConnected(true);
        } catch (e) {
          if (!refused(e)) return setConnected(false);
          messageSubs.delete(sub);
          sub.listener({ type: 'error', error: errorOf(e) });
        }
      }),
    );
  };

  const schedule = () => {
    clearTimeout(timer);
    if (closed || (tickets.listeners.size === 0 && messageSubs.size === 0)) return;
    const hidden = typeof document !== 'undefined' && document.visibilityState === 'hidden';
    timer = setTimeout(run, interval(now() - lastChange, hidden));
  };
  /** One round at a time; a kick during a round asks for another right after. */
  const run = (): void => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = round()
      .catch(() => setConnected(false))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          run();
        } else schedule();
      });
  };

  const onBrowser = () => {
    setConnected(online());
    if (online()) run();
  };
  if (typeof window !== 'undefined') {
    window.addEventListener('online', onBrowser);
    window.addEventListener('offline', onBrowser);
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onBrowser);
  }

  return {
    subscribe(name, params, listener) {
      if (name === 'customer.tickets') {
        tickets.listeners.add(listener);
        run();
        return () => {
          tickets.listeners.delete(listener);
          tickets.snapshotTold.delete(listener);
        };
      }
      if (name !== 'customer.messages' || typeof params.ticketId !== 'string') {
        queueMicrotask(() => listener({ type: 'error', error: { code: 'invalid-argument', message: `${name} is not a customer query`, issues: [] } }));
        return () => undefined;
      }
      const limit = typeof params.limit === 'number' ? Math.min(params.limit, CUSTOMER_MESSAGES_LIMIT.max) : CUSTOMER_MESSAGES_LIMIT.default;
      const sub: MessagesSub = { ticketId: params.ticketId, limit, listener, held: null, seenVersion: undefined, lastCreatedAt: 0 };
      messageSubs.add(sub);
      run();
      return () => void messageSubs.delete(sub);
    },
    onConnection(listener) {
      connection.add(listener);
      return () => connection.delete(listener);
    },
    kick: () => {
      lastChange = now();
      run();
    },
    close() {
      closed = true;
      clearTimeout(timer);
      tickets.listeners.clear();
      messageSubs.clear();
      connection.clear();
      if (typeof window !== 'undefined') {
        window.removeEventListener('online', onBrowser);
        window.removeEventListener('offline', onBrowser);
        if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onBrowser);
      }
    },
  };
};
