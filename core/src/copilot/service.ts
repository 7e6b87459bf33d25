import { z } from 'zod';
import { CommandError } from '../errors.ts';
import { Id, type Message, type QuickReply, type Settings, type Ticket } from '../model/index.ts';
import { defaultCopilotSettings, type CopilotSettings } from '../model/copilot.ts';
import { policy, type Actor, type StaffActor } from '../policy.ts';
import { refs } from '../store/refs.ts';
import type { Clock, Store, Tx } from '../store/types.ts';
import { parseOrThrow } from '../validation.ts';
import type { CopilotIndex, Suggestions } from './engine.ts';
import { exampleOf } from './examples.ts';
import { complete, ProviderError, type ChatMessage, type ProviderConfig, type ProviderFeature, type ProviderRuntime, type Usage } from './provider.ts';
import { REWRITE_MODES, rewritePrompt, suggestPrompt, summarizePrompt, translatePrompt, type PromptContext, type RewriteMode } from './prompts.ts';
import { summarize, summaryText, type Summary } from './summary.ts';
import { looksPortuguese, terms } from './text.ts';

/** What a backend hands the copilot: its store, the process's index, and the provider if configured. */
export interface CopilotDeps {
  store: Store;
  clock: Clock;
  index: CopilotIndex;
  provider: ProviderConfig | null;
  runtime?: ProviderRuntime;
  /** Told when the provider failed and the offline engine answered instead. */
  onProviderError?: (error: ProviderError, action: string) => void;
}

export const COPILOT_ACTIONS = ['suggest', 'summarize', 'rewrite', 'translate', 'status'] as const;
export type CopilotAction = (typeof COPILOT_ACTIONS)[number];

const inputs = {
  suggest: z.object({ ticketId: Id, generate: z.boolean().default(false) }),
  summarize: z.object({ ticketId: Id, generate: z.boolean().default(true) }),
  rewrite: z.object({ ticketId: Id, draft: z.string().trim().min(1).max(4000), mode: z.enum(Object.keys(REWRITE_MODES) as [RewriteMode, ...RewriteMode[]]) }),
  translate: z.object({ ticketId: Id, text: z.string().trim().min(1).max(4000), to: z.enum(['pt-BR', 'customer']) }),
  status: z.object({}),
};

/** What each action takes (before defaults), as the SPA's `Backend.copilot` sends it. */
export type CopilotInputs = { [A in CopilotAction]: z.input<(typeof inputs)[A]> };
/** What each action answers. */
export interface CopilotResults {
  suggest: SuggestResult;
  summarize: SummarizeResult;
  rewrite: TextResult;
  translate: TextResult;
  status: StatusResult;
}

export type SuggestResult = Suggestions & { generated: { text: string; model: string } | null; customerLanguage: 'pt' | 'other' };
export interface SummarizeResult {
  summary: Summary;
  text: string;
  source: 'offline' | 'provider';
}
export interface TextResult {
  text: string;
  model: string;
}
export interface StatusResult {
  provider: { configured: boolean; model: string | null; models: Partial<Record<ProviderFeature, string>> };
  settings: CopilotSettings;
  examples: number;
}

/** Everything a copilot action reads, in one read-only transaction. */
interface Context {
  actor: StaffActor;
  ticket: Ticket;
  messages: Message[];
  quickReplies: QuickReply[];
  settings: CopilotSettings;
  names: Map<string, string>;
  agentName: string;
  history: { ticket: Ticket; messages: Message[] }[];
}

const staffOf = (actor: Actor): StaffActor => {
  if (actor.kind !== 'staff') throw new CommandError('permission-denied', 'Só a equipe usa o copiloto. (Only staff may use the copilot.)');
  return actor;
};

const threadOf = (tx: Tx, ticketId: string, limit: number) =>
  tx.query({ collection: 'messages', parentId: ticketId, where: [], orderBy: [['createdAt', 'asc']], limitToLast: limit });

const load = async (deps: CopilotDeps, actor: StaffActor, ticketId: string, withHistory: boolean): Promise<Context> =>
  deps.store.transaction(async (tx) => {
    const ticket = await tx.get(refs.ticket(ticketId));
    if (!ticket) throw new CommandError('not-found', `Atendimento ${ticketId} não existe. (Ticket ${ticketId} does not exist.)`, [{ path: 'ticketId', message: 'no such ticket' }]);
    const decision = policy.canManage(actor, ticket);
    if (decision !== true) throw new CommandError('permission-denied', decision);
    const settings = (await tx.get(refs.settings())) as Settings | null;
    const [messages, quickReplies, sectors, classifications, user] = await Promise.all([
      threadOf(tx, ticket.id, 200),
      tx.query({ collection: 'quickReplies', where: [], orderBy: [['shortcut', 'asc']] }),
      tx.query({ collection: 'sectors', where: [], orderBy: [] }),
      tx.query({ collection: 'classifications', where: [], orderBy: [] }),
      tx.get(refs.user(actor.uid)),
    ]);
    const history: Context['history'] = [];
    if (withHistory) {
      const earlier = await tx.query({ collection: 'tickets', where: [['contactId', '==', ticket.contactId]], orderBy: [['createdAt', 'desc']], limit: 6 });
      for (const t of earlier.filter((t) => t.id !== ticket.id).slice(0, 5)) history.push({ ticket: t, messages: await threadOf(tx, t.id, 30) });
    }
    const names = new Map<string, string>([...sectors.map((s) => [s.id, s.name] as const), ...classifications.map((c) => [c.id, c.name] as const)]);
    return { actor, ticket, messages, quickReplies, settings: settings?.copilot ?? defaultCopilotSettings(), names, agentName: user?.name ?? actor.name, history };
  });

/** Reads what closed since the index last looked (`copilotExamples` newer than its watermark). */
export const syncIndex = async (store: Store, index: CopilotIndex, batch = 500): Promise<number> => {
  let learnt = 0;
  for (;;) {
    const fresh = await store.transaction((tx) =>
      tx.query({ collection: 'copilotExamples', where: [['closedAt', '>', index.watermark]], orderBy: [['closedAt', 'asc']], limit: batch }),
    );
    for (const e of fresh) index.learn(e);
    learnt += fresh.length;
    if (fresh.length < batch) return learnt;
  }
};

/**
 * Writes what a closed ticket teaches (`copilotExamples/{ticketId}`). The
 * server calls it after the commit that closed a ticket; on Firebase a
 * Firestore trigger does.
 */
export const learnFromClosedTicket = async (store: Store, ticketId: string): Promise<boolean> =>
  store.transaction(async (tx) => {
    const ticket = await tx.get(refs.ticket(ticketId));
    if (!ticket || ticket.status !== 'closed') return false;
    const [messages, quickReplies] = await Promise.all([threadOf(tx, ticket.id, 200), tx.query({ collection: 'quickReplies', where: [], orderBy: [] })]);
    const example = exampleOf(ticket, messages, quickReplies);
    if (example.pairs.length === 0 && !example.customerText) return false;
    tx.set(refs.copilotExample(ticket.id), example);
    return true;
  });

const varsOf = (c: Context) => ({
  contact: { name: c.ticket.contact.name },
  agent: { name: c.agentName },
  ticket: { protocol: c.ticket.protocol },
  sector: { name: (c.ticket.sectorId && c.names.get(c.ticket.sectorId)) || '' },
});

const promptContext = (c: Context, withHistory: boolean): PromptContext => ({
  lines: c.messages
    .filter((m) => m.text.trim() && m.direction !== 'system')
    .slice(-40)
    .map((m) => ({ who: m.direction === 'in' ? 'Cliente' : 'Atendente', text: m.text.trim().slice(0, 1500) })),
  quickReplies: c.quickReplies.filter((q) => q.sectorIds.length === 0 || (c.ticket.sectorId !== null && q.sectorIds.includes(c.ticket.sectorId))).map((q) => ({ shortcut: q.shortcut, text: q.text })),
  history: withHistory && c.settings.sendHistory ? c.history.map((h) => `${h.ticket.protocol}: ${h.messages.filter((m) => m.direction === 'in').map((m) => m.text).join(' / ').slice(0, 400)}`) : [],
  agentName: c.agentName,
  contactName: c.ticket.contact.name,
  protocol: c.ticket.protocol,
  sectorName: varsOf(c).sector.name,
});

/** Protocol numbers a text quotes: the workspace's format, or digits right after "protocolo". */
const quotedProtocols = (text: string): string[] => [
  ...[...text.matchAll(/\b\d{8}-\d{4,}\b/g)].map((m) => m[0]),
  ...[...text.matchAll(/protocolo\D{0,15}?(\d[\d-]{3,}\d)/gi)].map((m) => m[1]!),
];

/** Whether a generated text quotes a protocol number other than this ticket's (an invented one). */
export const inventsProtocol = (text: string, protocol: string): boolean => quotedProtocols(text).some((p) => p !== protocol);

const recordUsage = async (deps: CopilotDeps, usage: Usage) => {
  const month = new Date(deps.clock()).toISOString().slice(0, 7);
  await deps.store.transaction(async (tx) => {
    tx.increment('copilot.requests', 1);
    tx.increment('copilot.tokens.prompt', usage.promptTokens);
    tx.increment('copilot.tokens.completion', usage.completionTokens);
    tx.increment(`copilot.tokens.${month}`, usage.promptTokens + usage.completionTokens);
  });
};

const needProvider = (deps: CopilotDeps, enabled: boolean, what: string): ProviderConfig => {
  if (!deps.provider)
    throw new CommandError('failed-precondition', `Configure um provedor de IA (ATENDE_AI_BASE_URL) para ${what}. (Configure an AI provider to ${what === 'reescrever' ? 'rewrite' : 'translate'}.)`);
  if (!enabled) throw new CommandError('failed-precondition', `O administrador desligou esta função do copiloto. (An admin switched this copilot feature off.)`);
  return deps.provider;
};

const generate = async (deps: CopilotDeps, provider: ProviderConfig, feature: ProviderFeature, messages: ChatMessage[], onDelta?: (t: string) => void) => {
  const result = await complete(provider, feature, messages, onDelta ? { onDelta } : {}, deps.runtime ?? {});
  await recordUsage(deps, result.usage);
  return result;
};

const featureOff = (what: string) => new CommandError('failed-precondition', `O administrador desligou ${what} do copiloto. (An admin switched this copilot feature off.)`);

/** One copilot action for one actor: the same code behind `POST /api/copilot/:action` and the `copilot` callable. */
export const runCopilot = async (deps: CopilotDeps, actor: Actor, action: string, raw: unknown, onDelta?: (text: string) => void): Promise<unknown> => {
  if (!(COPILOT_ACTIONS as readonly string[]).includes(action))
    throw new CommandError('invalid-argument', `Ação do copiloto desconhecida: "${action}". (Unknown copilot action.)`, [{ path: 'action', message: `one of ${COPILOT_ACTIONS.join(', ')}` }]);
  const staff = staffOf(actor);
  const name = action as CopilotAction;

  if (name === 'status') {
    parseOrThrow(inputs.status, raw ?? {});
    const settings = await deps.store.transaction(async (tx) => ((await tx.get(refs.settings())) as Settings | null)?.copilot ?? defaultCopilotSettings());
    return {
      provider: { configured: deps.provider !== null, model: deps.provider?.model ?? null, models: deps.provider?.models ?? {} },
      settings,
      examples: deps.index.examples,
    } satisfies StatusResult;
  }

  if (name === 'suggest') {
    const input = parseOrThrow(inputs.suggest, raw ?? {});
    const c = await load(deps, staff, input.ticketId, false);
    if (!c.settings.suggestions && !c.settings.actions) throw featureOff('as sugestões');
    await syncIndex(deps.store, deps.index);
    deps.index.setQuickReplies(c.quickReplies);
    const offline = deps.index.suggest({ ticket: c.ticket, messages: c.messages, vars: varsOf(c) });
    const lastIn = c.messages.filter((m) => m.direction === 'in' && m.text.trim()).at(-1);
    const result: SuggestResult = {
      ...offline,
      replies: c.settings.suggestions ? offline.replies : [],
      actions: c.settings.actions ? offline.actions : [],
      generated: null,
      customerLanguage: lastIn && !looksPortuguese(lastIn.text) ? 'other' : 'pt',
    };
    if (input.generate && deps.provider && c.settings.generate && c.settings.suggestions) {
      try {
        const g = await generate(deps, deps.provider, 'suggest', suggestPrompt(promptContext(c, true)), onDelta);
        // A reply that quotes another protocol number invented it: the agent gets the offline suggestions only.
        if (inventsProtocol(g.text, c.ticket.protocol)) deps.onProviderError?.(new ProviderError('the generated reply quoted a protocol number that is not this ticket’s', null, false), name);
        else result.generated = { text: g.text, model: g.model };
      } catch (e) {
        if (!(e instanceof ProviderError)) throw e;
        deps.onProviderError?.(e, name);
      }
    }
    return result;
  }

  if (name === 'summarize') {
    const input = parseOrThrow(inputs.summarize, raw ?? {});
    const c = await load(deps, staff, input.ticketId, true);
    if (!c.settings.summary) throw featureOff('o resumo');
    await syncIndex(deps.store, deps.index);
    const summary = summarize({ messages: c.messages, history: c.history, names: (id) => c.names.get(id), idf: (t) => deps.index.idf(t), terms });
    if (input.generate && deps.provider && c.settings.generate) {
      try {
        const g = await generate(deps, deps.provider, 'summarize', summarizePrompt(promptContext(c, true)), onDelta);
        return { summary, text: g.text, source: 'provider' } satisfies SummarizeResult;
      } catch (e) {
        if (!(e instanceof ProviderError)) throw e;
        deps.onProviderError?.(e, name);
      }
    }
    return { summary, text: summaryText(summary), source: 'offline' } satisfies SummarizeResult;
  }

  if (name === 'rewrite') {
    const input = parseOrThrow(inputs.rewrite, raw ?? {});
    const c = await load(deps, staff, input.ticketId, false);
    const provider = needProvider(deps, c.settings.rewrite, 'reescrever');
    return providerText(deps, provider, 'rewrite', rewritePrompt(input.draft, input.mode, promptContext(c, false)), onDelta);
  }

  const input = parseOrThrow(inputs.translate, raw ?? {});
  const c = await load(deps, staff, input.ticketId, false);
  const provider = needProvider(deps, c.settings.translate, 'traduzir');
  return providerText(deps, provider, 'translate', translatePrompt(input.text, input.to, promptContext(c, false)), onDelta);
};

/** Rewrite and translate have no offline fallback: a provider failure is reported (the draft stays as it was). */
const providerText = async (deps: CopilotDeps, provider: ProviderConfig, feature: ProviderFeature, messages: ChatMessage[], onDelta?: (t: string) => void): Promise<TextResult> => {
  try {
    const g = await generate(deps, provider, feature, messages, onDelta);
    return { text: g.text, model: g.model };
  } catch (e) {
    if (!(e instanceof ProviderError)) throw e;
    deps.onProviderError?.(e, feature);
    throw new CommandError('failed-precondition', `O provedor de IA falhou; seu texto não foi alterado. (The AI provider failed; your text was not changed: ${e.message}.)`);
  }
};
