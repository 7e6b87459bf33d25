/**
 * The conformance suite: one set of tests, written against the SPA's
 * `Backend` interface and the core commands, that every backend must pass.
 * Each backend provides a harness; `defineConformance` registers the tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandName, DocChange, QueryName, Ticket } from '@atende/core';
import type { Backend, BackendError, LiveEvent } from '../web/src/backend/types.ts';
import { defineParity } from './parity.ts';

export interface InboundInput {
  channelId: string;
  externalId: string;
  name: string;
  text: string;
}

export interface ConformanceHarness {
  /** A backend signed in as a demo user (e-mail like `ana@atende.local`, password `atende123` unless given). */
  signIn(email: string, password?: string): Promise<Backend>;
  /** A customer's message arriving on a channel, the way a webhook delivers it (system actor). */
  inbound(input: InboundInput): Promise<{ ticketId: string; protocol?: string }>;
  close(): Promise<void>;
}

type Doc = { id: string } & Record<string, unknown>;

/** Follows a live query: keeps its current documents and every event, and waits for conditions. */
export class Live<T extends Doc = Doc> {
  readonly docs = new Map<string, T>();
  readonly events: LiveEvent<T>[] = [];
  readonly changes: DocChange<T>[] = [];
  error: BackendError | null = null;
  private waiters: (() => void)[] = [];
  readonly stop: () => void;

  constructor(backend: Backend, query: string, params: Record<string, unknown> = {}) {
    // The suite names queries as strings (some on purpose wrong): the typed door is the SPA's, not the harness's.
    this.stop = backend.subscribe(query as QueryName, params as never, (e) => {
      const event = e as unknown as LiveEvent<T>;
      this.events.push(event);
      if (event.type === 'snapshot') {
        this.docs.clear();
        for (const d of event.docs) this.docs.set(d.id, d);
      } else if (event.type === 'changes') {
        for (const c of event.changes) {
          this.changes.push(c);
          if (c.type === 'removed') this.docs.delete(c.doc.id);
          else this.docs.set(c.doc.id, c.doc);
        }
      } else this.error = event.error;
      for (const w of this.waiters) w();
    });
  }

  /** Resolves once `check` holds (checked after every event), or fails after `ms`. */
  until(what: string, check: (live: this) => boolean, ms = 8000): Promise<void> {
    if (check(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${what}; events: ${JSON.stringify(this.events.map((e) => e.type === 'changes' ? e.changes.map((c) => `${c.type}:${c.doc.id}`) : e.type))}`));
      }, ms);
      const waiter = () => {
        if (!check(this)) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      };
      this.waiters.push(waiter);
    });
  }

  ready(): Promise<void> {
    return this.until('the first snapshot or an error', (l) => l.events.length > 0);
  }
}

let visitor = 0;
const nextVisitor = () => `conformance-${Date.now().toString(36)}-${++visitor}`;

const failureOf = async (p: Promise<unknown>): Promise<BackendError> => {
  try {
    await p;
  } catch (e) {
    return e as BackendError;
  }
  throw new Error('expected the call to fail');
};

export const defineConformance = (label: string, makeHarness: () => Promise<ConformanceHarness>): void => {
  describe(`conformance: ${label}`, () => {
    let h: ConformanceHarness;
    let ana: Backend;
    let bruno: Backend;
    let carla: Backend;
    let supervisor: Backend;
    let admin: Backend;
    const lives: Live[] = [];
    const follow = (b: Backend, query: string, params: Record<string, unknown> = {}) => {
      const live = new Live(b, query, params);
      lives.push(live);
      return live;
    };
    const newTicket = (text = 'Olá, preciso de ajuda') =>
      h.inbound({ channelId: 'site', externalId: nextVisitor(), name: 'Cliente Teste', text });

    beforeAll(async () => {
      h = await makeHarness();
      [ana, bruno, carla, supervisor, admin] = await Promise.all([
        h.signIn('ana@atende.local'),
        h.signIn('bruno@atende.local'),
        h.signIn('carla@atende.local'),
        h.signIn('supervisor@atende.local'),
        h.signIn('admin@atende.local'),
      ]);
    });
    afterAll(async () => {
      for (const l of lives) l.stop();
      await h?.close();
    });

    it('an inbound message opens a waiting ticket with a protocol, seen live by the sector', async () => {
      const waiting = follow(ana, 'tickets.waiting', { sectorIds: ['suporte'] });
      await waiting.ready();
      expect(waiting.error).toBeNull();
      const { ticketId, protocol } = await newTicket('Meu pedido não chegou');
      expect(protocol).toMatch(/^\d{8}-\d{5,}$/);
      await waiting.until('the new ticket', (l) => l.docs.has(ticketId));
      const ticket = waiting.docs.get(ticketId) as unknown as Ticket;
      expect(ticket).toMatchObject({ status: 'waiting', sectorId: 'suporte', assigneeId: null, protocol });
      expect(ticket.lastMessage?.text).toBe('Meu pedido não chegou');
    });

    it('ten concurrent accepts: exactly one agent wins, the others are told', async () => {
      const { ticketId } = await newTicket();
      const team = [ana, carla, supervisor, admin];
      const uids = ['ana', 'carla', 'supervisor', 'admin'];
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => team[i % team.length]!.run('ticket.accept', { ticketId }).then((r) => ({ r, who: uids[i % uids.length] }))),
      );
      const winners = new Set(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.who] : [])));
      expect(winners.size).toBe(1);
      const [winner] = [...winners];
      for (const r of results) {
        if (r.status === 'fulfilled') expect(r.value.r.ticket.assigneeId).toBe(winner);
        else expect((r.reason as BackendError).code).toBe('failed-precondition');
      }
      // However many of the winner's own calls succeeded, the ticket was taken once.
      const thread = follow(admin, 'messages.ofTicket', { ticketId });
      await thread.ready();
      const accepted = [...thread.docs.values()].filter((m) => (m.event as { kind?: string } | null)?.kind === 'accepted');
      expect(accepted).toHaveLength(1);
      const mine = follow(team[uids.indexOf(winner!)]!, 'tickets.mine', {});
      await mine.until('the accepted ticket in Em atendimento', (l) => l.docs.has(ticketId));
    });

    it("a transfer moves the ticket from one sector's queue to the other's, live", async () => {
      const suporte = follow(ana, 'tickets.waiting', { sectorIds: ['suporte'] });
      const financeiro = follow(bruno, 'tickets.waiting', { sectorIds: ['financeiro'] });
      await Promise.all([suporte.ready(), financeiro.ready()]);
      const { ticketId } = await newTicket('Quero falar com o financeiro');
      await suporte.until('the ticket in Suporte', (l) => l.docs.has(ticketId));
      expect(financeiro.docs.has(ticketId)).toBe(false);
      const { ticket } = await ana.run('ticket.transfer', { ticketId, sectorId: 'financeiro' });
      expect(ticket).toMatchObject({ sectorId: 'financeiro', status: 'waiting' });
      await financeiro.until('the ticket in Financeiro', (l) => l.docs.get(ticketId)?.sectorId === 'financeiro');
      await suporte.until('the ticket gone from Suporte', (l) => !l.docs.has(ticketId));
      expect(suporte.changes.some((c) => c.type === 'removed' && c.doc.id === ticketId)).toBe(true);
      // Ana no longer sees it; Bruno may take it.
      const refused = await failureOf(ana.run('ticket.accept', { ticketId }));
      expect(refused.code).toBe('permission-denied');
      await expect(bruno.run('ticket.accept', { ticketId })).resolves.toMatchObject({ ticket: { assigneeId: 'bruno' } });
    });

    it('close and reopen', async () => {
      const { ticketId } = await newTicket();
      await ana.run('ticket.accept', { ticketId });
      const closed = await ana.run('ticket.close', { ticketId, classificationId: 'duvida' });
      expect(closed.ticket).toMatchObject({ status: 'closed', classificationId: 'duvida', closedBy: 'ana' });
      const history = follow(ana, 'tickets.closed', { sectorIds: ['suporte'] });
      await history.until('the closed ticket in the history', (l) => l.docs.has(ticketId));
      expect((await failureOf(ana.run('ticket.close', { ticketId }))).code).toBe('failed-precondition');
      const reopened = await carla.run('ticket.reopen', { ticketId });
      expect(reopened.ticket).toMatchObject({ status: 'open', assigneeId: 'carla', closedAt: null });
      await history.until('the reopened ticket gone from the history', (l) => !l.docs.has(ticketId));
      expect((await failureOf(carla.run('ticket.reopen', { ticketId }))).code).toBe('failed-precondition');
    });

    it('a live Esperando query sees tickets added, modified and removed', async () => {
      const waiting = follow(supervisor, 'tickets.waiting', { sectorIds: ['suporte', 'financeiro'] });
      await waiting.ready();
      const externalId = nextVisitor();
      const { ticketId } = await h.inbound({ channelId: 'site', externalId, name: 'Cliente Vivo', text: 'primeira' });
      await waiting.until('added', (l) => l.changes.some((c) => c.type === 'added' && c.doc.id === ticketId));
      await h.inbound({ channelId: 'site', externalId, name: 'Cliente Vivo', text: 'segunda' });
      await waiting.until('modified', (l) => l.changes.some((c) => c.type === 'modified' && c.doc.id === ticketId && (c.doc.lastMessage as { text: string }).text === 'segunda'));
      await ana.run('ticket.accept', { ticketId });
      await waiting.until('removed', (l) => l.changes.some((c) => c.type === 'removed' && c.doc.id === ticketId));
      expect(waiting.error).toBeNull();
    });

    it('tab counts follow the queue, kept by the transactions that move tickets', async () => {
      const waitingSuporte = 'tickets.waiting.sector.suporte';
      const mineAna = 'tickets.open.assignee.ana';
      const counts = follow(supervisor, 'counters', { ids: [waitingSuporte, mineAna] });
      await counts.ready();
      expect(counts.error).toBeNull();
      const value = (id: string) => Number(counts.docs.get(id)?.value ?? 0);
      const [waiting, mine] = [value(waitingSuporte), value(mineAna)];
      const { ticketId } = await newTicket();
      await counts.until('one more waiting in Suporte', () => value(waitingSuporte) === waiting + 1);
      await ana.run('ticket.accept', { ticketId });
      await counts.until('the ticket moved from Esperando to Ana', () => value(waitingSuporte) === waiting && value(mineAna) === mine + 1);
    });

    it("an agent's open count follows their tickets from colleague to colleague and across sectors (Supervisão's load)", async () => {
      const [mineAna, mineCarla, openSuporte, openFinanceiro] = ['tickets.open.assignee.ana', 'tickets.open.assignee.carla', 'tickets.open.sector.suporte', 'tickets.open.sector.financeiro'];
      const counts = follow(supervisor, 'counters', { ids: [mineAna, mineCarla, openSuporte, openFinanceiro] });
      await counts.ready();
      expect(counts.error).toBeNull();
      const value = (id: string) => Number(counts.docs.get(id)?.value ?? 0);
      const now = () => [mineAna, mineCarla, openSuporte, openFinanceiro].map(value);
      const [ana0, carla0, suporte0, financeiro0] = now();
      const { ticketId } = await newTicket();
      await ana.run('ticket.accept', { ticketId });
      await counts.until("Ana's", () => now().join() === [ana0! + 1, carla0, suporte0! + 1, financeiro0].join());
      await ana.run('ticket.transfer', { ticketId, assigneeId: 'carla' });
      await counts.until("Carla's, in Suporte", () => now().join() === [ana0, carla0! + 1, suporte0! + 1, financeiro0].join());
      await carla.run('ticket.transfer', { ticketId, sectorId: 'financeiro', assigneeId: 'carla' });
      await counts.until("still Carla's, in Financeiro", () => now().join() === [ana0, carla0! + 1, suporte0, financeiro0! + 1].join());
      await carla.run('ticket.close', { ticketId });
      await counts.until('closed: nobody\'s', () => now().join() === [ana0, carla0, suporte0, financeiro0].join());
    });

    it('DESIGN §5 for commands, cell by cell: take, send, close, reopen, catalogues, administration', async () => {
      const allowed = async (b: Backend, name: string, input: Record<string, unknown>) => b.run(name as CommandName, input as never);
      const denied = async (b: Backend, name: string, input: Record<string, unknown>) => expect((await failureOf(b.run(name as CommandName, input as never))).code).toBe('permission-denied');

      // Take a waiting ticket: own sectors (agent, supervisor), any (admin).
      await denied(bruno, 'ticket.accept', { ticketId: (await newTicket()).ticketId });
      for (const b of [ana, supervisor, admin]) await allowed(b, 'ticket.accept', { ticketId: (await newTicket()).ticketId });

      // Send / tag / close / transfer on a ticket Ana is serving: Ana (own), the supervisor of its sector, admin; not a colleague, not another sector.
      const { ticketId } = await newTicket();
      await ana.run('ticket.accept', { ticketId });
      await denied(carla, 'message.send', { ticketId, text: 'posso ajudar?' });
      await denied(bruno, 'message.send', { ticketId, text: 'posso ajudar?' });
      await denied(carla, 'ticket.setTags', { ticketId, tagIds: ['vip'] });
      await denied(bruno, 'ticket.close', { ticketId });
      for (const b of [ana, supervisor, admin]) await allowed(b, 'message.send', { ticketId, text: 'Estamos verificando.' });
      await allowed(supervisor, 'ticket.setTags', { ticketId, tagIds: ['vip'] });
      await denied(bruno, 'ticket.transfer', { ticketId, sectorId: 'financeiro' });

      // Reopen a closed ticket: own sectors (any agent of them), not another sector.
      await ana.run('ticket.close', { ticketId });
      await denied(bruno, 'ticket.reopen', { ticketId });
      await allowed(carla, 'ticket.reopen', { ticketId });

      // Quick replies: read for agents, edit for supervisors and admins.
      const reply = (id: string) => ({ id, shortcut: id, text: 'Olá!', sectorIds: [], updatedAt: 0 });
      await denied(ana, 'quickReply.save', reply('conf-agent'));
      await allowed(supervisor, 'quickReply.save', reply('conf-supervisor'));
      await allowed(admin, 'quickReply.save', reply('conf-admin'));
      // Users, sectors, channels, automation: admins only.
      const sector = { id: 'conf-sector', name: 'Conformidade', color: '#123456', overflowSectorId: null, updatedAt: 0 };
      await denied(ana, 'sector.save', sector);
      await denied(supervisor, 'sector.save', sector);
      await allowed(admin, 'sector.save', sector);
      // Names are unique in a catalogue, whatever the case or accents (issue 13).
      expect((await failureOf(admin.run('sector.save', { ...sector, id: 'conf-sector-2', name: ' CONFORMIDADE ' }))).code).toBe('already-exists');
      await denied(supervisor, 'settings.update', { prioritiseHuman: false });
      await allowed(supervisor, 'settings.update', { attachments: { maxBytes: 16 * 1024 * 1024, allowedTypes: ['image/*', 'application/pdf'] } });
      // About forty round trips through the command function: on a loaded two-core machine that outlasts the default 20 s.
    }, 90_000);

    it('queries and commands the actor may not use are refused with the right code', async () => {
      const other = follow(bruno, 'tickets.waiting', { sectorIds: ['suporte'] });
      await other.ready();
      expect(other.error?.code).toBe('permission-denied');
      const everything = follow(bruno, 'tickets.waiting', {});
      await everything.ready();
      expect(everything.error?.code).toBe('permission-denied');
      const { ticketId } = await newTicket();
      const foreign = follow(bruno, 'ticket', { id: ticketId });
      await foreign.ready();
      expect(foreign.error?.code).toBe('permission-denied');
      const unknown = follow(ana, 'tickets.everything', {});
      await unknown.ready();
      expect(unknown.error?.code).toBe('invalid-argument');

      expect((await failureOf(bruno.run('ticket.accept', { ticketId }))).code).toBe('permission-denied');
      const bad = await failureOf(ana.run('ticket.accept', { ticketId: '' }));
      expect(bad.code).toBe('invalid-argument');
      expect(bad.issues.map((i) => i.path)).toContain('ticketId');
      expect((await failureOf(ana.run('ticket.accept', { ticketId: 'no-such-ticket' }))).code).toBe('not-found');
      expect((await failureOf(ana.run('sector.save', { id: 'x', name: 'X', color: '#000000', overflowSectorId: null }))).code).toBe('permission-denied');
    });

    it("a ticket's revised lines (messages.revisedOfTicket) are read by whoever reads the ticket, and only revised lines", async () => {
      // Firestore marks a line changed after its creation (the thread on the ticket, core/src/store/threadLayout.ts); the
      // embedded server marks none, so there it answers an empty list — on both, never an unrevised line.
      const { ticketId } = await newTicket();
      await ana.run('ticket.accept', { ticketId });
      await ana.run('message.send', { ticketId, text: 'Olá! Já vejo o seu caso.', attachments: [], clientId: `revised-${ticketId}` });
      const revised = follow(ana, 'messages.revisedOfTicket', { ticketId });
      await revised.ready();
      expect(revised.error).toBeNull();
      expect(revised.events[0]?.type).toBe('snapshot');
      expect([...revised.docs.values()].every((m) => m.revised === true)).toBe(true);
      const foreign = follow(bruno, 'messages.revisedOfTicket', { ticketId });
      await foreign.ready();
      expect(foreign.error?.code).toBe('permission-denied');
    });

    defineParity({ harness: () => h, as: (name) => ({ ana, bruno, supervisor, admin })[name], newTicket });
  });
};
