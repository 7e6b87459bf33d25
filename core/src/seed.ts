import { commandRegistry } from './commands/index.ts';
import { executeCommand, type RunnerDeps } from './commands/runtime.ts';
import { defaultCopilotSettings, PRESENCE_DEFAULTS, type Channel, type Classification, type PauseReason, type QuickReply, type Sector, type Settings, type Tag, type User } from './model/index.ts';
import { SYSTEM, type StaffActor } from './policy.ts';
import { refs } from './store/refs.ts';
import type { Store, Tx } from './store/types.ts';
import { overriding } from './store/overriding.ts';
import { defaultSurvey } from './model/reports.ts';
import { demoHistoryPlan, demoPresenceStats, type DemoStep } from './reports/demoHistory.ts';
import { rollUpStats } from './reports/rollup.ts';
import { DEMO_TEMPLATES, demoTemplateId, templateVariables } from './channels/templates.ts';
import { templateIdOf } from './commands/outbound.ts';

export const defaultSettings = (now: number, name = 'Atende'): Settings => ({
  id: 'workspace',
  name,
  businessHours: {
    enabled: false,
    timezone: 'America/Sao_Paulo',
    days: [1, 2, 3, 4, 5].map((day) => ({ day, open: '08:00', close: '18:00' })),
    holidays: [],
    outsideMessage: 'Olá! Nosso horário de atendimento é de segunda a sexta, das 8h às 18h. Responderemos assim que possível.',
  },
  autoClose: {
    enabled: false,
    afterMinutes: 60 * 24,
    closeAgentTickets: true,
    closeBotTickets: true,
    warningMinutes: 30,
    warningMessage: 'Este atendimento será encerrado em breve por inatividade. Responda para continuar.',
    closingMessage: 'Atendimento encerrado por inatividade. Se precisar, é só escrever de novo.',
  },
  attachments: {
    maxBytes: 16 * 1024 * 1024,
    allowedTypes: ['image/*', 'audio/*', 'video/*', 'application/pdf', 'text/plain', 'application/zip',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  },
  prioritiseHuman: true,
  presence: { ...PRESENCE_DEFAULTS },
  botOnNewTicket: true,
  closingMessage: '',
  copilot: defaultCopilotSettings(),
  updatedAt: now,
});

/** A workspace with nobody but its first admin. */
export const seedEmpty = async (deps: RunnerDeps, admin: Pick<User, 'id' | 'name' | 'email'>): Promise<User> => {
  const now = deps.clock();
  const user: User = { ...admin, role: 'admin', sectorIds: [], presence: 'offline', seesAllHistory: true, active: true, updatedAt: now };
  await deps.store.transaction(async (tx) => {
    if (!(await tx.get(refs.settings()))) tx.set(refs.settings(), defaultSettings(now));
    tx.set(refs.user(user.id), user);
  });
  return user;
};

export interface DemoLogin {
  email: string;
  password: string;
  role: User['role'];
  name: string;
  uid: string;
}

export const DEMO_PASSWORD = 'atende123';

/**
 * The demo's two WhatsApp numbers (issue 11's contract): they talk to the
 * built-in simulator (a fake Graph API) unless ATENDE_WHATSAPP_GRAPH_URL
 * points elsewhere.
 */
export const DEMO_WHATSAPP = {
  wabaId: '200000000000001',
  numbers: [
    { channelId: 'whatsapp', phoneNumberId: '100000000000001', display: '+55 11 4000-0001' },
    { channelId: 'whatsapp-suporte', phoneNumberId: '100000000000002', display: '+55 11 4000-0002' },
  ],
  secrets: { accessToken: 'atende-demo-token', appSecret: 'atende-demo-app-secret', verifyToken: 'atende-demo-verify' },
} as const;

/**
 * The demo's Instagram account (issue 16's contract): it talks to the
 * built-in simulator (`/simulator/instagram`, a fake Graph API) unless
 * ATENDE_INSTAGRAM_GRAPH_URL points elsewhere. No bot: straight to Esperando.
 */
export const DEMO_INSTAGRAM = {
  channelId: 'instagram',
  accountId: '300000000000001',
  display: '@atende.demo',
  secrets: { accessToken: 'atende-demo-token', appSecret: 'atende-demo-app-secret', verifyToken: 'atende-demo-verify' },
} as const;

/** The demo's mailbox: mail arrives through the inbound endpoint (`POST /webhooks/email/email`, this token) until an admin sets IMAP/SMTP. */
export const DEMO_EMAIL = { channelId: 'email', address: 'contato@atende.local', inboundToken: 'atende-demo-inbound' } as const;

const demoAccount = (i: 0 | 1) => ({
  id: DEMO_WHATSAPP.numbers[i].phoneNumberId,
  businessId: DEMO_WHATSAPP.wabaId,
  display: DEMO_WHATSAPP.numbers[i].display,
  secretsSet: { accessToken: true, appSecret: true, verifyToken: true },
});

export interface DemoOptions {
  /**
   * A month of closed tickets before today, played through the commands at their own times (Histórico lists them,
   * Relatórios counts them): `npm start` and the Firebase seeding script ask for it; tests mostly do without.
   */
  history?: boolean;
}

/**
 * The demo workspace `npm start` creates on an empty data directory, and the
 * Firebase seeding script writes to a project: two sectors, a team, a
 * web-chat and a WhatsApp channel, catalogues, and tickets in every status.
 */
export const seedDemo = async (deps: RunnerDeps, { history = false }: DemoOptions = {}): Promise<DemoLogin[]> => {
  const now = deps.clock();
  const sectors: Sector[] = [
    { id: 'suporte', name: 'Suporte', color: '#2563eb', overflowSectorId: 'financeiro', sla: { firstResponseMinutes: 15, resolutionHours: 24, businessHours: false }, updatedAt: now },
    { id: 'financeiro', name: 'Financeiro', color: '#16a34a', overflowSectorId: null, sla: { firstResponseMinutes: 30, resolutionHours: 48, businessHours: false }, updatedAt: now },
  ];
  const person = (id: string, name: string, role: User['role'], sectorIds: string[], presence: User['presence'] = 'offline'): User => ({
    id,
    name,
    email: `${id}@atende.local`,
    role,
    sectorIds,
    presence,
    presenceSince: now,
    seesAllHistory: role !== 'agent',
    active: true,
    updatedAt: now,
  });
  const users: User[] = [
    person('admin', 'Alice Admin', 'admin', ['suporte', 'financeiro']),
    person('supervisor', 'Sérgio Supervisor', 'supervisor', ['suporte', 'financeiro']),
    person('ana', 'Ana Souza', 'agent', ['suporte'], 'online'),
    person('bruno', 'Bruno Lima', 'agent', ['financeiro'], 'online'),
    person('carla', 'Carla Dias', 'agent', ['suporte', 'financeiro']),
  ];
  const bot = (enabled: boolean): Channel['bot'] => ({
    enabled,
    greeting: 'Olá! Bem-vindo ao atendimento. Escolha uma opção:',
    menu: [
      { key: '1', label: 'Suporte técnico', sectorId: 'suporte' },
      { key: '2', label: 'Financeiro', sectorId: 'financeiro' },
    ],
    invalidOption: 'Não entendi. Responda com o número de uma opção.',
  });
  const channels: Channel[] = [
    { id: 'site', type: 'webchat', name: 'Chat do site', defaultSectorId: 'suporte', bot: bot(false), survey: { ...defaultSurvey(), enabled: true }, active: true, updatedAt: now },
    { id: 'whatsapp', type: 'whatsapp', name: 'WhatsApp Comercial', defaultSectorId: 'suporte', bot: bot(true), active: true, account: demoAccount(0), updatedAt: now },
    { id: 'whatsapp-suporte', type: 'whatsapp', name: 'WhatsApp Suporte', defaultSectorId: 'suporte', bot: bot(false), active: true, account: demoAccount(1), updatedAt: now },
    {
      id: DEMO_INSTAGRAM.channelId,
      type: 'instagram',
      name: 'Instagram',
      defaultSectorId: 'suporte',
      bot: bot(false),
      active: true,
      account: { id: DEMO_INSTAGRAM.accountId, businessId: null, display: DEMO_INSTAGRAM.display, secretsSet: { accessToken: true, appSecret: true, verifyToken: true } },
      updatedAt: now,
    },
    {
      id: DEMO_EMAIL.channelId,
      type: 'email',
      name: 'E-mail',
      defaultSectorId: 'suporte',
      bot: bot(false),
      active: true,
      account: { id: DEMO_EMAIL.address, businessId: null, display: DEMO_EMAIL.address, secretsSet: { accessToken: false, appSecret: false, verifyToken: true } },
      mail: { imap: null, smtp: null, fromName: 'Atende Demo' },
      updatedAt: now,
    },
  ];
  const tags: Tag[] = [
    { id: 'vip', name: 'VIP', color: '#d97706', updatedAt: now },
    { id: 'reclamacao', name: 'Reclamação', color: '#dc2626', updatedAt: now },
    { id: 'novo-cliente', name: 'Novo cliente', color: '#7c3aed', updatedAt: now },
  ];
  const classifications: Classification[] = [
    { id: 'duvida', name: 'Dúvida resolvida', updatedAt: now },
    { id: 'problema-tecnico', name: 'Problema técnico', updatedAt: now },
    { id: 'cobranca', name: 'Cobrança', updatedAt: now },
    { id: 'sem-resposta', name: 'Cliente não respondeu', updatedAt: now },
  ];
  const quickReplies: QuickReply[] = [
    { id: 'ola', shortcut: 'ola', text: 'Olá, {{contact.name}}! Aqui é {{agent.name}}, do setor {{sector.name}}. Como posso ajudar?', sectorIds: [], attachments: [], updatedAt: now },
    { id: 'protocolo', shortcut: 'protocolo', text: 'O número do seu protocolo é {{ticket.protocol}}.', sectorIds: [], attachments: [], updatedAt: now },
    { id: 'boleto', shortcut: 'boleto', text: 'Você pode emitir a segunda via do boleto na área do cliente, em Financeiro > Boletos.', sectorIds: ['financeiro'], attachments: [], updatedAt: now },
    { id: 'reiniciar', shortcut: 'reiniciar', text: 'Por favor, desligue o aparelho por 30 segundos e ligue de novo. Me avise se resolveu.', sectorIds: ['suporte'], attachments: [], updatedAt: now },
  ];
  const pauseReasons: PauseReason[] = [
    { id: 'almoco', name: 'Almoço', updatedAt: now },
    { id: 'intervalo', name: 'Intervalo', updatedAt: now },
    { id: 'reuniao', name: 'Reunião', updatedAt: now },
    { id: 'treinamento', name: 'Treinamento', updatedAt: now },
  ];
  await deps.store.transaction(async (tx) => {
    tx.set(refs.settings(), defaultSettings(now));
    for (const r of pauseReasons) tx.set(refs.pauseReason(r.id), r);
    for (const s of sectors) tx.set(refs.sector(s.id), s);
    for (const u of users) tx.set(refs.user(u.id), u);
    for (const c of channels) tx.set(refs.channel(c.id), c);
    for (const c of channels)
      if (c.type === 'whatsapp') tx.set(refs.channelSecrets(c.id), { id: c.id, ...DEMO_WHATSAPP.secrets, updatedAt: now });
    tx.set(refs.channelSecrets(DEMO_INSTAGRAM.channelId), { id: DEMO_INSTAGRAM.channelId, ...DEMO_INSTAGRAM.secrets, updatedAt: now });
    tx.set(refs.channelSecrets(DEMO_EMAIL.channelId), { id: DEMO_EMAIL.channelId, accessToken: '', appSecret: '', verifyToken: DEMO_EMAIL.inboundToken, updatedAt: now });
    // The demo numbers' templates, as `template.sync` would store them from the simulator's fake Graph API.
    for (const c of channels)
      if (c.type === 'whatsapp')
        DEMO_TEMPLATES.forEach((t, i) => {
          const body = t.components.find((x) => x.type === 'BODY')?.text ?? '';
          const id = templateIdOf(c.id, t.name, t.language);
          tx.set(refs.template(id), { id, channelId: c.id, providerId: demoTemplateId(i), name: t.name, language: t.language, category: t.category, status: t.status, body, variables: templateVariables(body), sectorIds: [], syncedAt: now, updatedAt: now });
        });
    for (const t of tags) tx.set(refs.tag(t.id), t);
    for (const c of classifications) tx.set(refs.classification(c.id), c);
    for (const q of quickReplies) tx.set(refs.quickReply(q.id), q);
  });
  const actor = (id: string): StaffActor => {
    const u = users.find((x) => x.id === id)!;
    return { kind: 'staff', uid: u.id, name: u.name, role: u.role, sectorIds: u.sectorIds, seesAllHistory: u.seesAllHistory };
  };
  /** Runs a command as of `at` (now by default). */
  const run = (who: StaffActor | typeof SYSTEM, name: string, input: unknown, at = now) =>
    executeCommand(commandRegistry, at === now ? deps : { ...deps, store: deliveredStore(deps.store), clock: () => at }, who, name, input) as Promise<Record<string, unknown>>;
  let seq = 0;
  const inbound = async (channelId: string, externalId: string, name: string, text: string, at = now, contact: { phone?: string; email?: string } = {}) =>
    (await run(SYSTEM, 'inbound.receive', { channelId, externalId, contact: { name, phone: channelId === 'whatsapp' ? externalId : undefined, ...contact }, channelMessageId: `seed-${++seq}`, text }, at)) as { ticketId: string };

  if (history) {
    // A month of closed tickets, each played at its own times: Histórico lists what Relatórios counts.
    const agents = users.filter((u) => u.role === 'agent');
    const options = { now, timeZone: defaultSettings(now).businessHours.timezone, agents };
    const ticketIds = new Map<string, string>();
    const idOf = (s: DemoStep) => ({ ticketId: ticketIds.get(s.ticket)! });
    for (const s of demoHistoryPlan(options)) {
      if (s.kind === 'inbound') ticketIds.set(s.ticket, (await inbound(s.channelId, s.externalId, s.name, s.text, s.at, { phone: s.phone, email: s.email })).ticketId);
      else if (s.kind === 'accept') await run(actor(s.agentId), 'ticket.accept', idOf(s), s.at);
      else if (s.kind === 'transfer') await run(actor(s.agentId), 'ticket.transfer', { ...idOf(s), sectorId: s.sectorId }, s.at);
      else if (s.kind === 'send') await run(actor(s.agentId), 'message.send', { ...idOf(s), text: s.text }, s.at);
      else if (s.kind === 'tags') await run(actor(s.agentId), 'ticket.setTags', { ...idOf(s), tagIds: s.tagIds }, s.at);
      else await run(actor(s.agentId), 'ticket.close', { ...idOf(s), classificationId: s.classificationId }, s.at);
    }
    // The agents' hours online and paused (no ticket's: added as aggregates).
    await deps.store.transaction(async (tx) => {
      for (const { id, v, ...fields } of demoPresenceStats(options)) tx.accumulate(refs.stats(id), fields, v);
    });
  }
  // The history's months as the scheduled roll-up keeps them (reports/rollup.ts): the days up to the day before yesterday.
  await rollUpStats(deps.store, now);

  // Finalizados: a conversation of the last hour, transferred to Financeiro and classified (its survey unanswered).
  const ago = (minutes: number) => now - minutes * 60_000;
  const fernanda = await inbound('site', 'visitor-fernanda', 'Fernanda Rocha', 'Como emito a segunda via do boleto?', ago(42));
  await run(actor('carla'), 'ticket.transfer', { ticketId: fernanda.ticketId, sectorId: 'financeiro' }, ago(40));
  await run(actor('bruno'), 'ticket.accept', { ticketId: fernanda.ticketId }, ago(37));
  await run(actor('bruno'), 'message.send', { ticketId: fernanda.ticketId, text: 'Você pode emitir na área do cliente, em Financeiro > Boletos.' }, ago(36));
  await inbound('site', 'visitor-fernanda', 'Fernanda Rocha', 'Consegui, obrigada!', ago(31));
  await run(actor('bruno'), 'ticket.close', { ticketId: fernanda.ticketId, classificationId: 'duvida' }, ago(29));

  // Esperando: three customers waiting in Suporte, one in Financeiro (through the WhatsApp bot).
  await inbound('site', 'visitor-maria', 'Maria Oliveira', 'Boa tarde! Meu pedido ainda não chegou, podem verificar?');
  await inbound('site', 'visitor-joao', 'João Pereira', 'O aplicativo fecha sozinho quando abro o carrinho.');
  await inbound('site', 'visitor-lucia', 'Lúcia Martins', 'Oi, preciso trocar o endereço de entrega.');
  await inbound('whatsapp', '5511988887777', 'Pedro Alves', 'Oi');
  await inbound('whatsapp', '5511988887777', 'Pedro Alves', '2');
  await inbound('whatsapp', '5511988887777', 'Pedro Alves', 'Quero negociar uma fatura em atraso.');

  // Em atendimento: Ana is serving Roberto.
  const roberto = await inbound('site', 'visitor-roberto', 'Roberto Costa', 'Não consigo acessar minha conta.');
  await run(actor('ana'), 'ticket.accept', { ticketId: roberto.ticketId });
  await run(actor('ana'), 'message.send', { ticketId: roberto.ticketId, text: 'Olá, Roberto! Vou verificar sua conta agora.' });
  await inbound('site', 'visitor-roberto', 'Roberto Costa', 'Obrigado, aguardo.');

  return users.map((u) => ({ email: u.email, password: DEMO_PASSWORD, role: u.role, name: u.name, uid: u.id }));
};

/**
 * The store the demo's past runs on: a reply it writes to a provider (WhatsApp, Instagram, e-mail) is stored as
 * delivered back then, as `addOutbound` stores a web-chat reply, instead of queued for the outbox to send today.
 */
const deliveredStore = (store: Store): Store =>
  overriding(store, {
    transaction: (fn) =>
      store.transaction((tx) =>
        fn(
          overriding(tx, {
            create: (ref, data) => tx.create(ref, ref.collection === 'messages' ? delivered(data) : data),
            set: (ref, data) => tx.set(ref, ref.collection === 'messages' ? delivered(data) : data),
          } as Partial<Tx>),
        ),
      ),
  } as Partial<Store>);

const delivered = (message: Record<string, unknown>): never => {
  const delivery = message.delivery as { doneAt: number | null; dueAt: number | null } | undefined;
  if (!delivery || delivery.doneAt !== null) return message as never;
  return { ...message, status: 'delivered', delivery: { attempts: 1, dueAt: null, doneAt: delivery.dueAt, lastError: null } } as never;
};
