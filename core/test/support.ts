import { expect } from 'vitest';
import {
  collectionNames,
  commandRegistry,
  createIdGenerator,
  defaultSettings,
  executeCommand,
  isCommandError,
  MemoryStore,
  refs,
  type Actor,
  type Channel,
  type CommandError,
  type DocRef,
  type ErrorCode,
  type Message,
  type Reader,
  type RunnerDeps,
  type Sector,
  type Settings,
  type StaffActor,
  type Store,
  type Ticket,
  type User,
} from '../src/index.ts';

/** Monday 23 November 2026, 10:00 in São Paulo (UTC-3): inside the default business hours. */
export const T0 = Date.parse('2026-11-23T13:00:00Z');
export const DAY = '20261123';
export const MINUTE = 60_000;

export const sectors: Sector[] = [
  { id: 'suporte', name: 'Suporte', color: '#2563eb', overflowSectorId: 'financeiro', updatedAt: T0 },
  { id: 'financeiro', name: 'Financeiro', color: '#16a34a', overflowSectorId: null, updatedAt: T0 },
  { id: 'vendas', name: 'Vendas', color: '#d97706', overflowSectorId: null, updatedAt: T0 },
];

const user = (id: string, role: User['role'], sectorIds: string[], presence: User['presence'], seesAllHistory = false): User => ({
  id,
  name: id[0]!.toUpperCase() + id.slice(1),
  email: `${id}@test.local`,
  role,
  sectorIds,
  presence,
  seesAllHistory,
  active: true,
  updatedAt: T0,
});

/** ana and bruno online in Suporte / Financeiro; carla in both but offline; nobody in Vendas. */
export const users: User[] = [
  user('ana', 'agent', ['suporte'], 'online'),
  user('bruno', 'agent', ['financeiro'], 'online'),
  user('carla', 'agent', ['suporte', 'financeiro'], 'offline'),
  user('sergio', 'supervisor', ['suporte'], 'offline'),
  user('alice', 'admin', [], 'offline', true),
];

export const menuBot = (enabled: boolean): Channel['bot'] => ({
  enabled,
  greeting: 'Olá! Escolha uma opção:',
  menu: [
    { key: '1', label: 'Suporte', sectorId: 'suporte' },
    { key: '2', label: 'Financeiro', sectorId: 'financeiro' },
  ],
  invalidOption: 'Não entendi.',
});

export const channels: Channel[] = [
  { id: 'site', type: 'webchat', name: 'Site', defaultSectorId: 'suporte', bot: menuBot(false), active: true, updatedAt: T0 },
  { id: 'zap', type: 'whatsapp', name: 'WhatsApp', defaultSectorId: 'suporte', bot: menuBot(true), active: true, updatedAt: T0 },
  { id: 'zap2', type: 'whatsapp', name: 'WhatsApp 2', defaultSectorId: null, bot: menuBot(false), active: true, updatedAt: T0 },
  { id: 'nosector', type: 'webchat', name: 'Sem setor', defaultSectorId: null, bot: menuBot(false), active: true, updatedAt: T0 },
  { id: 'vendas-site', type: 'webchat', name: 'Vendas', defaultSectorId: 'vendas', bot: menuBot(false), active: true, updatedAt: T0 },
];

export const staff = (id: string): StaffActor => {
  const u = users.find((x) => x.id === id);
  if (!u) throw new Error(`no fixture user ${id}`);
  return { kind: 'staff', uid: u.id, name: u.name, role: u.role, sectorIds: u.sectorIds, seesAllHistory: u.seesAllHistory };
};

export interface World {
  store: MemoryStore;
  deps: RunnerDeps;
  advance(ms: number): void;
  setNow(ms: number): void;
  run(actor: Actor, name: string, input: unknown): Promise<Record<string, unknown>>;
  inbound(channelId: string, externalId: string, text: string, extra?: Record<string, unknown>): Promise<{ ticketId: string; messageId: string; duplicate: boolean; protocol?: string }>;
  ticket(id: string): Ticket;
  messages(ticketId: string): Message[];
  dump(): string;
  reader: Reader;
}

/** A MemoryStore with the fixtures above, a fixed clock and deterministic ids (`arrayIndexes`: as Firestore, no receipts). */
export const makeWorld = async (settings: Partial<Settings> = {}, options: { arrayIndexes?: boolean; fieldIndexes?: boolean; factsPerLife?: boolean } = {}): Promise<World> => {
  const store = new MemoryStore(options);
  let now = T0;
  const clock = () => now;
  let seed = 1;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const deps: RunnerDeps = { store, clock, newId: createIdGenerator(clock, random) };
  await store.transaction(async (tx) => {
    tx.set(refs.settings(), { ...defaultSettings(T0), ...settings });
    for (const s of sectors) tx.set(refs.sector(s.id), s);
    for (const u of users) tx.set(refs.user(u.id), u);
    for (const c of channels) tx.set(refs.channel(c.id), c);
    tx.set(refs.tag('vip'), { id: 'vip', name: 'VIP', color: '#d97706', updatedAt: T0 });
    tx.set(refs.tag('novo'), { id: 'novo', name: 'Novo', color: '#7c3aed', updatedAt: T0 });
    tx.set(refs.classification('duvida'), { id: 'duvida', name: 'Dúvida', updatedAt: T0 });
  });
  let n = 0;
  const run = (actor: Actor, name: string, input: unknown) =>
    executeCommand(commandRegistry, deps, actor, name, input) as Promise<Record<string, unknown>>;
  return {
    store,
    deps,
    advance: (ms) => (now += ms),
    setNow: (ms) => (now = ms),
    run,
    inbound: (channelId, externalId, text, extra = {}) =>
      run({ kind: 'system' }, 'inbound.receive', { channelId, externalId, channelMessageId: `m-${++n}`, text, ...extra }) as never,
    ticket: (id) => {
      const t = store.all('tickets').find((x) => x.id === id);
      if (!t) throw new Error(`no ticket ${id}`);
      return t;
    },
    messages: (ticketId) => sortMessages(store.all('messages').filter((m) => m.ticketId === ticketId)),
    dump: () => JSON.stringify(collectionNames.map((c) => [c, store.all(c).sort((a, b) => (a.id < b.id ? -1 : 1))])),
    reader: { get: <C extends DocRef['collection']>(ref: DocRef<C>) => store.transaction((tx) => tx.get(ref)) },
  };
};

/** The thread as `messages.ofTicket` shows it: by createdAt, then id. */
export const sortMessages = <M extends { createdAt: number; id: string }>(ms: M[]): M[] =>
  [...ms].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** Awaits a rejection and checks it is the CommandError expected; returns it for more checks. */
export const expectError = async (p: Promise<unknown>, code: ErrorCode, message?: RegExp | string): Promise<CommandError> => {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  if (!isCommandError(caught)) throw new Error(`expected CommandError ${code}, got ${caught === undefined ? 'success' : String(caught)}`);
  expect(caught.code, caught.message).toBe(code);
  if (message !== undefined) expect(caught.message).toMatch(message);
  return caught;
};

/** A store that lists what its transactions read: a `get` by its collection, a query as `query <collection>`. */
export const countingReads = (store: Store): { counting: Store; reads: string[] } => {
  const reads: string[] = [];
  const counting: Store = {
    transaction: (fn) =>
      store.transaction((tx) =>
        fn(
          new Proxy(tx, {
            get: (t, p) =>
              p === 'get'
                ? (ref: DocRef) => (reads.push(ref.collection), t.get(ref))
                : p === 'query'
                  ? (spec: Parameters<typeof t.query>[0]) => (reads.push(`query ${spec.collection}`), t.query(spec))
                  : Reflect.get(t, p),
          }),
        ),
      ),
  };
  return { counting, reads };
};
