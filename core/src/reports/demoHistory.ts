import { localTime } from '../automation/businessHours.ts';
import type { Fact, Stats } from '../model/index.ts';
import { recompute } from './aggregate.ts';

/**
 * A month of a small operation's history for the demo, so that Relatórios
 * and Histórico tell the same story on `npm start`: real closed tickets,
 * each a life the seed plays through the commands at its own times
 * (`demoHistoryPlan`: who wrote, who took it, what was said, how it was
 * closed and rated), so every report figure follows from tickets Histórico
 * lists. Deterministic: a seeded generator, the same month for the same day.
 * Only the agents' hours online and paused are aggregates (`demoPresenceStats`):
 * they are no ticket's.
 */
export interface DemoHistoryOptions {
  now: number;
  timeZone: string;
  /** Days before today; 30 by default. */
  days?: number;
  agents: { id: string; sectorIds: string[] }[];
}

const MIN = 60_000;

const generator = (seed: number) => {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
};

/** Local midnight `i` days before `now`'s day, found from noon UTC (never crosses a date in Brazil). */
const dayStart = (now: number, timeZone: string, i: number): number => {
  const today = localTime(now, timeZone).date;
  const date = new Date(Date.parse(`${today}T12:00:00Z`) - i * 86_400_000).toISOString().slice(0, 10);
  const noon = Date.parse(`${date}T12:00:00Z`);
  return noon - localTime(noon, timeZone).minutes * MIN;
};

/** One thing that happens to a demo ticket, at `at`. `ticket` names the life it belongs to. */
export type DemoStep = { at: number; ticket: string } & (
  | { kind: 'inbound'; channelId: string; externalId: string; name: string; phone?: string; email?: string; text: string }
  | { kind: 'accept'; agentId: string }
  | { kind: 'transfer'; agentId: string; sectorId: string }
  | { kind: 'send'; agentId: string; text: string }
  | { kind: 'tags'; agentId: string; tagIds: string[] }
  | { kind: 'close'; agentId: string; classificationId: string }
);

interface Script {
  sector: 'suporte' | 'financeiro';
  classificationId: string;
  /** The customer's first words, the agent's answer, then (when the customer answers) their last words. */
  ask: string;
  answer: (first: string) => string;
  thanks: string | null;
  tag?: string;
}

const SCRIPTS: Script[] = [
  { sector: 'suporte', classificationId: 'problema-tecnico', ask: 'O aplicativo não abre depois da última atualização.', answer: (n) => `Olá, ${n}! Desinstale e instale de novo pela loja, por favor: a versão de hoje corrige isso.`, thanks: 'Reinstalei e funcionou. Obrigado!' },
  { sector: 'suporte', classificationId: 'problema-tecnico', ask: 'Não recebi o e-mail de confirmação do cadastro.', answer: (n) => `Oi, ${n}! Reenviei agora. Confira também a caixa de spam.`, thanks: 'Chegou, obrigada!' },
  { sector: 'suporte', classificationId: 'problema-tecnico', ask: 'O rastreio do meu pedido não atualiza há três dias.', answer: (n) => `${n}, falei com a transportadora: o pedido está em trânsito e chega até sexta-feira.`, thanks: 'Ótimo, obrigada pela ajuda.', tag: 'reclamacao' },
  { sector: 'suporte', classificationId: 'problema-tecnico', ask: 'O produto veio com defeito, a tela não liga.', answer: (n) => `Sinto muito, ${n}! Abri a troca: o código de postagem chega no seu e-mail em até 1 hora.`, thanks: 'Recebi o código, obrigado.', tag: 'reclamacao' },
  { sector: 'suporte', classificationId: 'duvida', ask: 'Qual o prazo de entrega para Curitiba?', answer: (n) => `Olá, ${n}! Para Curitiba são de 3 a 5 dias úteis depois da confirmação do pagamento.`, thanks: 'Perfeito, obrigado.' },
  { sector: 'suporte', classificationId: 'duvida', ask: 'Como altero a senha da minha conta?', answer: (n) => `${n}, é em Minha conta > Segurança > Alterar senha. Se preferir, envio um link para redefinir.`, thanks: 'Achei, obrigado!' },
  { sector: 'suporte', classificationId: 'duvida', ask: 'Vocês têm loja física em São Paulo?', answer: (n) => `Oi, ${n}! Vendemos só pela loja online, com retirada em pontos parceiros de São Paulo.`, thanks: 'Entendi, obrigada.' },
  { sector: 'suporte', classificationId: 'duvida', ask: 'Posso trocar o tamanho de uma camiseta que comprei?', answer: (n) => `Pode sim, ${n}! Em Meus pedidos > Trocar item; a troca é grátis em até 30 dias.`, thanks: 'Que bom, vou fazer agora. Obrigado!', tag: 'novo-cliente' },
  { sector: 'suporte', classificationId: 'sem-resposta', ask: 'Oi, preciso de ajuda com meu pedido.', answer: (n) => `Olá, ${n}! Claro, me passa o número do pedido?`, thanks: null },
  { sector: 'financeiro', classificationId: 'cobranca', ask: 'Fui cobrado duas vezes no cartão.', answer: (n) => `${n}, confirmei a cobrança em duplicidade e pedi o estorno: ele aparece na próxima fatura.`, thanks: 'Obrigado pela agilidade!', tag: 'reclamacao' },
  { sector: 'financeiro', classificationId: 'cobranca', ask: 'Quero parcelar uma fatura em atraso.', answer: (n) => `Olá, ${n}! Consigo parcelar em até 3 vezes sem juros; mandei a proposta para o seu e-mail.`, thanks: 'Vi aqui, vou aceitar. Obrigada!' },
  { sector: 'financeiro', classificationId: 'duvida', ask: 'Como emito a segunda via do boleto?', answer: (n) => `Oi, ${n}! Você emite na área do cliente, em Financeiro > Boletos.`, thanks: 'Consegui, obrigada!' },
  { sector: 'financeiro', classificationId: 'duvida', ask: 'Preciso da nota fiscal da minha compra.', answer: (n) => `${n}, enviei a nota fiscal para o seu e-mail cadastrado.`, thanks: 'Recebi, obrigado.', tag: 'vip' },
  { sector: 'financeiro', classificationId: 'sem-resposta', ask: 'Quero cancelar minha assinatura.', answer: (n) => `Posso ajudar, ${n}! Confirma que é o plano mensal?`, thanks: null },
];

/** Who writes: a name and the one channel they write from (their identity there is derived from the name). */
const CUSTOMERS: [string, 'site' | 'whatsapp' | 'whatsapp-suporte' | 'instagram' | 'email'][] = [
  ['Paula Ribeiro', 'site'], ['Marcos Teixeira', 'whatsapp-suporte'], ['Juliana Castro', 'site'], ['Rafael Gomes', 'whatsapp'],
  ['Camila Duarte', 'instagram'], ['Thiago Moreira', 'site'], ['Beatriz Nunes', 'whatsapp-suporte'], ['Gustavo Araújo', 'whatsapp'],
  ['Larissa Freitas', 'site'], ['Diego Barbosa', 'email'], ['Renata Carvalho', 'whatsapp-suporte'], ['Felipe Monteiro', 'site'],
  ['Aline Cardoso', 'whatsapp'], ['Vinícius Rocha', 'instagram'], ['Patrícia Mendes', 'site'], ['Eduardo Pinto', 'whatsapp-suporte'],
  ['Natália Correia', 'site'], ['Leonardo Dias', 'whatsapp'], ['Gabriela Lopes', 'email'], ['André Vieira', 'site'],
  ['Carolina Batista', 'whatsapp-suporte'], ['Rodrigo Fernandes', 'site'], ['Mariana Azevedo', 'instagram'], ['Bruno Cavalcanti', 'whatsapp'],
  ['Isabela Ramos', 'site'], ['Fábio Melo', 'whatsapp-suporte'], ['Letícia Barros', 'site'], ['Gabriel Santana', 'whatsapp'],
  ['Vanessa Machado', 'site'], ['Henrique Moura', 'email'], ['Tatiane Farias', 'whatsapp-suporte'], ['Caio Rezende', 'site'],
];

const slug = (name: string) => name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z]+/g, '.');

/** How a customer is known on their channel. */
const identity = (name: string, channelId: string, index: number): { externalId: string; phone?: string; email?: string } => {
  if (channelId === 'site') return { externalId: `visitor-${slug(name)}` };
  if (channelId === 'email') return { externalId: `${slug(name)}@exemplo.com.br`, email: `${slug(name)}@exemplo.com.br` };
  if (channelId === 'instagram') return { externalId: `31000000000${(1000 + index).toString()}` };
  const phone = `55119${(70000000 + index * 1237).toString()}`;
  return { externalId: phone, phone };
};

/** The customer's answer to the web chat's satisfaction survey (core/src/reports/survey.ts parses it). */
const RATINGS = ['5', '5 - Atendimento excelente!', '5', '4', '4 - Resolveu, mas demorou um pouco', '5 - Muito rápido', '3', '5', '4', '2 - Tive que explicar duas vezes', '5', '1'];

/**
 * The month's tickets as steps in time order (ties keep the order they were planned in, so a ticket's own steps stay
 * in order): Suporte's questions arrive on every channel; Financeiro's through WhatsApp Comercial's bot (option 2)
 * or transferred from Suporte's queue. A few customers give up in Esperando (a supervisor closes those).
 */
export const demoHistoryPlan = (o: DemoHistoryOptions): DemoStep[] => {
  const days = o.days ?? 30;
  const rand = generator(20261201);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const exp = (mean: number) => -Math.log(1 - rand()) * mean;
  const between = (a: number, b: number) => Math.round(a + rand() * (b - a));
  const steps: DemoStep[] = [];
  const busyUntil = new Map<string, number>();
  let n = 0;
  for (let i = days; i >= 1; i--) {
    const start = dayStart(o.now, o.timeZone, i);
    const weekday = localTime(start + 12 * 60 * MIN, o.timeZone).day;
    const weekend = weekday === 0 || weekday === 6;
    const count = weekend ? between(1, 3) : between(5, 9);
    const arrivals = Array.from({ length: count }, () => {
      const hour = weekend ? between(9, 14) : pick([8, 9, 9, 10, 10, 10, 11, 11, 13, 14, 14, 15, 15, 16, 16, 17, 18]);
      return start + hour * 60 * MIN + between(0, 59) * MIN + between(0, 59) * 1000;
    }).sort((a, b) => a - b);
    for (const at of arrivals) {
      const script = pick(SCRIPTS);
      const channels = script.sector === 'financeiro' ? ['whatsapp', 'site', 'whatsapp-suporte', 'email'] : ['site', 'whatsapp-suporte', 'instagram', 'email'];
      const free = CUSTOMERS.map((c, index) => ({ name: c[0], channelId: c[1], index })).filter((c) => channels.includes(c.channelId) && (busyUntil.get(c.name) ?? 0) < at);
      if (free.length === 0) continue;
      const who = pick(free);
      const ticket = `t${(n++).toString()}`;
      const step = (t: number, s: DistributiveOmit<DemoStep, 'at' | 'ticket'>) => steps.push({ at: Math.round(t), ticket, ...s } as DemoStep);
      const said = (t: number, text: string) => step(t, { kind: 'inbound', channelId: who.channelId, name: who.name, text, ...identity(who.name, who.channelId, who.index) });
      let t = at;
      // Through the bot: a greeting, the menu's option, then the question; the bot puts it in Financeiro's queue.
      if (who.channelId === 'whatsapp') {
        said(t, 'Oi');
        said((t += between(20, 60) * 1000), script.sector === 'financeiro' ? '2' : '1');
        t += between(10, 40) * 1000;
      }
      said(t, script.ask);
      const firstName = who.name.split(' ')[0]!;
      const team = (sector: string) => o.agents.filter((a) => a.sectorIds.includes(sector));
      if (script.sector === 'financeiro' && who.channelId !== 'whatsapp') {
        // Arrived in Suporte (every channel's default): someone there sends it on while it waits.
        t += between(1, 4) * MIN;
        step(t, { kind: 'transfer', agentId: pick(team('suporte')).id, sectorId: 'financeiro' });
      }
      t += Math.min(Math.round(exp(weekend ? 9 * MIN : 4 * MIN)), 45 * MIN);
      if (rand() < 0.04) {
        // Gave up in Esperando: a supervisor closes it at the end of the shift.
        t += between(40, 90) * MIN;
        step(t, { kind: 'close', agentId: 'supervisor', classificationId: 'sem-resposta' });
        busyUntil.set(who.name, t);
        continue;
      }
      const agent = pick(team(script.sector)).id;
      step(t, { kind: 'accept', agentId: agent });
      step((t += between(20, 180) * 1000), { kind: 'send', agentId: agent, text: script.answer(firstName) });
      if (script.thanks) said((t += between(1, 4) * MIN + Math.round(exp(3 * MIN))), script.thanks);
      t += between(1, 3) * MIN + (script.thanks ? Math.round(exp(6 * MIN)) : between(10, 25) * MIN);
      if (script.tag && rand() < 0.5) step(t - 30_000, { kind: 'tags', agentId: agent, tagIds: [script.tag] });
      step(t, { kind: 'close', agentId: agent, classificationId: script.classificationId });
      if (who.channelId === 'site' && script.thanks && rand() < 0.6) said((t += between(30, 300) * 1000), pick(RATINGS));
      busyUntil.set(who.name, t + 5 * MIN);
    }
  }
  return steps.map((s, k) => ({ s, k })).sort((x, y) => x.s.at - y.s.at || x.k - y.k).map(({ s }) => s);
};

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The agents' hours online and in pause on the month's weekdays, as stats documents ready to be added. */
export const demoPresenceStats = (o: DemoHistoryOptions): Stats[] => {
  const days = o.days ?? 30;
  const rand = generator(20261202);
  const facts: Fact[] = [];
  let n = 0;
  const fact = (at: number, agent: { id: string; sectorIds: string[] }, spans: Fact['spans']): void => {
    const t = localTime(at, o.timeZone);
    facts.push({ id: `demo-${(n++).toString(36)}`, kind: 'presence', at, day: t.date, hour: t.hour, ticketId: null, sectorId: agent.sectorIds[0] ?? null, channelId: null, agentId: agent.id, spans, sla: {}, abandoned: false, classificationId: null, tagIds: [], score: null });
  };
  for (let i = days; i >= 1; i--) {
    const start = dayStart(o.now, o.timeZone, i);
    const weekday = localTime(start + 12 * 60 * MIN, o.timeZone).day;
    if (weekday === 0 || weekday === 6) continue;
    for (const a of o.agents) {
      const online = Math.round((7 + rand() * 1.5) * 60 * MIN);
      const paused = Math.round((35 + rand() * 30) * MIN);
      fact(start + 18 * 60 * MIN, a, { online: [online, online] });
      fact(start + 18 * 60 * MIN, a, { paused: [paused, paused] });
    }
  }
  return [...recompute(facts).values()];
};
