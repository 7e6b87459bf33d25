import { describe, expect, it } from 'vitest';
import type { Message, QuickReply, Ticket } from '../src/index.ts';
import { CopilotIndex, exampleOf, messageSentiment, NaiveBayes, nextSentiment, sentimentLabel, summarize, summaryText, templatize, terms, looksPortuguese } from '../src/copilot/index.ts';

const T = Date.parse('2026-11-12T15:00:00Z');
const qr = (id: string, text: string, sectorIds: string[] = []): QuickReply => ({ id, shortcut: id, text, sectorIds, attachments: [], updatedAt: 1 });
const QUICK = [
  qr('ola', 'Olá, {{contact.name}}! Aqui é {{agent.name}}, do setor {{sector.name}}. Como posso ajudar?'),
  qr('protocolo', 'O número do seu protocolo é {{ticket.protocol}}.'),
  qr('boleto', 'Você pode emitir a segunda via do boleto na área do cliente, em Financeiro > Boletos.', ['financeiro']),
  qr('reiniciar', 'Por favor, desligue o aparelho por 30 segundos e ligue de novo. Me avise se resolveu.', ['suporte']),
];
const vars = { contact: { name: 'Maria' }, agent: { name: 'Ana Souza' }, ticket: { protocol: '20261112-0042' }, sector: { name: 'Financeiro' } };

let n = 0;
type Line = [dir: 'in' | 'out', text: string, author?: string];
const msgs = (ticketId: string, lines: Line[]): Message[] =>
  lines.map(([direction, text, author], i) => ({
    id: `${ticketId}-${i}`, ticketId, contactId: 'c', direction, authorId: author ? 'u' : null, authorName: author ?? 'Maria Oliveira', text, attachments: [],
    status: 'delivered', createdAt: T + i * 1000, channelMessageId: null, clientId: null, event: null, automated: false,
  }));
const ticket = (over: Partial<Ticket> = {}): Ticket => ({
  id: `t${++n}`, protocol: '20261112-0042', contactId: 'c', contact: { name: 'Maria Oliveira', phone: null, email: null }, channelId: 'site', channelType: 'webchat',
  sectorId: 'suporte', assigneeId: 'ana', status: 'closed', origin: 'agent', overflow: false, tagIds: [], classificationId: null, createdAt: T, queuedAt: null,
  acceptedAt: T, closedAt: T + n, closedBy: 'ana', lastMessageAt: T, lastCustomerMessageAt: T, lastMessage: null, inactivityWarnedAt: null, unread: 0, sentiment: null, updatedAt: T, ...over,
});
const learnt = (index: CopilotIndex, over: Partial<Ticket>, lines: Line[]) => {
  const t = ticket(over);
  index.learn(exampleOf(t, msgs(t.id, lines), QUICK));
  return t;
};

describe('copilot: normalisation', () => {
  it('folds accents, drops stop words and stems Portuguese', () => {
    expect(terms('Não consigo emitir a segunda via dos boletos!')).toEqual(['nao', 'consig', 'emit', 'segund', 'via', 'bolet']);
    expect(terms('NAO CONSIGO emitir segunda via do boleto')).toEqual(terms('Não consigo emitir a segunda via dos boletos!'));
    expect(terms('cobrança')).toEqual(terms('cobranças'));
    expect(terms('Olá, {{contact.name}}! Boa tarde')).toEqual([]);
  });
  it('tells Portuguese from other languages', () => {
    expect(looksPortuguese('Meu pedido ainda não chegou, podem verificar?')).toBe(true);
    expect(looksPortuguese('Hello, my order has not arrived yet, can you check please?')).toBe(false);
    expect(looksPortuguese('Hola, quiero saber dónde está mi pedido por favor')).toBe(false);
  });
});

describe('copilot: suggested replies', () => {
  it('works from the first minute with only quick replies, variables filled and the source named', () => {
    const index = new CopilotIndex();
    index.setQuickReplies(QUICK);
    const s = index.suggest({ ticket: ticket({ sectorId: 'financeiro', status: 'open' }), messages: msgs('x', [['in', 'Como emito a segunda via do boleto?']]), vars });
    expect(s.replies[0]).toMatchObject({ source: { kind: 'quickReply', shortcut: 'boleto' } });
    // A new conversation: the greeting is offered too, with the contact, agent and sector filled in.
    const greeting = s.replies.find((r) => r.source.kind === 'quickReply' && r.source.shortcut === 'ola');
    expect(greeting?.text).toBe('Olá, Maria! Aqui é Ana Souza, do setor Financeiro. Como posso ajudar?');
    const protocol = index.suggest({ ticket: ticket({ status: 'open' }), messages: msgs('y', [['in', 'oi'], ['out', 'Olá!', 'Ana'], ['in', 'qual o número do protocolo?']]), vars });
    expect(protocol.replies[0]?.text).toBe('O número do seu protocolo é 20261112-0042.');
  });

  it("offers a sector's quick replies only in that sector", () => {
    const index = new CopilotIndex();
    index.setQuickReplies(QUICK);
    const s = index.suggest({ ticket: ticket({ sectorId: 'suporte', status: 'open' }), messages: msgs('x', [['in', 'oi'], ['out', 'Olá', 'Ana'], ['in', 'segunda via do boleto']]), vars });
    expect(s.replies.map((r) => r.source.kind === 'quickReply' && r.source.shortcut)).not.toContain('boleto');
  });

  it('learns what agents answered in closed tickets, names who and when, and forgets a ticket learnt again', () => {
    const index = new CopilotIndex();
    index.setQuickReplies(QUICK);
    const lines: Line[] = [['in', 'Meu pedido ainda não chegou'], ['out', 'Oi Maria, já vejo.', 'Ana Souza'], ['in', 'É o pedido 4821'], ['out', 'Verifiquei: seu pedido saiu para entrega e chega em até 2 dias úteis, Maria.', 'Ana Souza']];
    const t = learnt(index, {}, lines);
    const ask = msgs('new', [['in', 'oi'], ['out', 'Olá!', 'Carla'], ['in', 'O pedido que fiz não chegou ainda']]);
    const s = index.suggest({ ticket: ticket({ status: 'open', contact: { name: 'João Pereira', phone: null, email: null } }), messages: ask, vars: { ...vars, contact: { name: 'João' } } });
    const answer = s.replies.find((r) => r.source.kind === 'answer');
    expect(answer?.source).toMatchObject({ kind: 'answer', agentName: 'Ana Souza', ticketId: t.id });
    // The contact's name was learnt as a variable and filled with the new contact's.
    expect(answer?.template).toContain('{{contact.name}}');
    expect(answer?.text).toContain('João');
    expect(index.examples).toBe(1);
    index.learn(exampleOf(t, msgs(t.id, lines), QUICK));
    expect(index.examples).toBe(1);
    // What the agent already sent is not suggested again.
    const after = index.suggest({ ticket: ticket({ status: 'open' }), messages: [...ask, ...msgs('z', [['out', answer!.text, 'Carla']])], vars });
    expect(after.replies.map((r) => r.text)).not.toContain(answer!.text);
  });

  it('ranks a reply agents used for these words above one used for other words', () => {
    const index = new CopilotIndex();
    index.setQuickReplies(QUICK);
    for (let i = 0; i < 3; i++) {
      learnt(index, {}, [['in', 'A internet caiu de novo'], ['out', QUICK[3]!.text, 'Ana']]);
      learnt(index, {}, [['in', 'Quero cancelar meu pedido'], ['out', 'Cancelei o pedido; o estorno sai em até duas faturas.', 'Ana']]);
    }
    const s = index.suggest({ ticket: ticket({ status: 'open' }), messages: msgs('q', [['in', 'oi'], ['out', 'Olá', 'Ana'], ['in', 'minha internet está caindo']]), vars });
    expect(s.replies[0]?.source).toMatchObject({ kind: 'quickReply', shortcut: 'reiniciar' });
    const c = index.suggest({ ticket: ticket({ status: 'open' }), messages: msgs('q', [['in', 'oi'], ['out', 'Olá', 'Ana'], ['in', 'preciso cancelar a compra do pedido']]), vars });
    expect(c.replies[0]?.text).toContain('Cancelei o pedido');
  });
});

describe('copilot: classifier and actions', () => {
  const trained = () => {
    const index = new CopilotIndex();
    index.setQuickReplies(QUICK);
    const fin = ['boleto vencido segunda via', 'cobrança duplicada na fatura', 'quero negociar fatura atrasada', 'estorno do cartão não caiu', 'pagar a fatura com pix'];
    const sup = ['aplicativo fecha sozinho', 'internet lenta e caindo', 'não consigo acessar minha conta senha', 'produto chegou com defeito', 'modem não liga'];
    for (let i = 0; i < 4; i++) {
      for (const f of fin) learnt(index, { sectorId: 'financeiro', classificationId: 'cobranca', tagIds: i === 0 ? ['reclamacao'] : [] }, [['in', f], ['out', 'Vou verificar.', 'Bruno']]);
      for (const s of sup) learnt(index, { sectorId: 'suporte', classificationId: 'problema-tecnico', tagIds: [] }, [['in', s], ['out', 'Vou verificar.', 'Ana']]);
    }
    return index;
  };

  it('suggests a transfer to the sector the words belong to, with a calibrated confidence', () => {
    const index = trained();
    const s = index.suggest({ ticket: ticket({ sectorId: 'suporte', status: 'open' }), messages: msgs('q', [['in', 'minha fatura veio com cobrança em duplicidade']]), vars });
    const transfer = s.actions.find((a) => a.kind === 'transfer');
    expect(transfer).toMatchObject({ kind: 'transfer', sectorId: 'financeiro' });
    expect(transfer!.confidence).toBeGreaterThan(0.6);
    expect(transfer!.confidence).toBeLessThan(1);
    // Where the words already fit the sector, no transfer; vague words give a weaker belief.
    const stay = index.suggest({ ticket: ticket({ sectorId: 'financeiro', status: 'open' }), messages: msgs('q', [['in', 'boleto da fatura']]), vars });
    expect(stay.actions.find((a) => a.kind === 'transfer')).toBeUndefined();
    const vague = index.suggest({ ticket: ticket({ sectorId: 'financeiro', status: 'open' }), messages: msgs('q', [['in', 'preciso de ajuda com uma coisa']]), vars });
    expect(vague.predictions.sector?.confidence ?? 0).toBeLessThan(transfer!.confidence);
  });

  it('suggests the classification, and closing once the customer thanks', () => {
    const index = trained();
    const s = index.suggest({
      ticket: ticket({ sectorId: 'suporte', status: 'open' }),
      messages: msgs('q', [['in', 'o aplicativo fecha sozinho'], ['out', 'Atualize o aplicativo.', 'Ana'], ['in', 'Deu certo, obrigado!']]),
      vars,
    });
    expect(s.actions).toContainEqual(expect.objectContaining({ kind: 'classify', classificationId: 'problema-tecnico' }));
    expect(s.actions).toContainEqual(expect.objectContaining({ kind: 'close', classificationId: 'problema-tecnico' }));
    const asking = index.suggest({ ticket: ticket({ status: 'open' }), messages: msgs('q', [['in', 'o aplicativo fecha'], ['out', 'Atualize.', 'Ana'], ['in', 'obrigado, mas ainda não funcionou?']]), vars });
    expect(asking.actions.find((a) => a.kind === 'close')).toBeUndefined();
  });

  it('calibrates naive Bayes on its own out-of-sample guesses', () => {
    const nb = new NaiveBayes();
    for (let i = 0; i < 60; i++) nb.learn(i % 2 ? 'a' : 'b', i % 2 ? ['x', 'y', `n${i}`] : ['z', 'w', `n${i}`]);
    const [top] = nb.predict(['x', 'y']);
    expect(top).toMatchObject({ label: 'a' });
    expect(top!.confidence).toBeGreaterThan(0.8);
    const [mixed] = nb.predict(['x', 'z']);
    expect(mixed!.confidence).toBeLessThan(0.7);
    nb.unlearn('a', ['x', 'y', 'n1']);
    expect(nb.size).toBe(59);
  });
});

describe('copilot: examples', () => {
  it('puts names and the protocol back as variables and recognises a quick reply', () => {
    expect(templatize('Olá, Maria! Sou a Ana. Protocolo 2026-1.', { contact: 'Maria Oliveira', agent: 'Ana Souza', protocol: '2026-1' })).toBe('Olá, {{contact.name}}! Sou a {{agent.name}}. Protocolo {{ticket.protocol}}.');
    const t = ticket({ classificationId: 'duvida' });
    const e = exampleOf(t, msgs(t.id, [['in', 'boleto?'], ['out', 'Você pode emitir a segunda via do boleto na área do cliente, em Financeiro > Boletos.', 'Bruno Lima'], ['in', 'Obrigada!']]), QUICK);
    expect(e.pairs[0]).toMatchObject({ quickReplyId: 'boleto', opening: true, agentName: 'Bruno Lima', question: 'boleto?' });
    expect(e.customerSilent).toBe(false);
    const silent = exampleOf(t, msgs(t.id, [['in', 'oi'], ['out', 'Olá! Pode detalhar?', 'Ana']]), QUICK);
    expect(silent.customerSilent).toBe(true);
  });
});

describe('copilot: summary', () => {
  it("quotes the customer's key sentences, what was done and what is pending", () => {
    const lines = msgs('s', [
      ['in', 'Boa tarde!'],
      ['in', 'Fui cobrado duas vezes na fatura de novembro. O valor é 89,90.'],
      ['out', 'Olá! Verifiquei a fatura e abri o pedido de estorno.', 'Bruno Lima'],
      ['in', 'Obrigado'],
      ['in', 'E quando o dinheiro volta para o cartão?'],
    ]);
    const s = summarize({ messages: lines, history: [{ ticket: { id: 'old', protocol: '2026-7', createdAt: T - 86_400_000, status: 'closed', classificationId: 'cobranca' }, messages: msgs('old', [['in', 'Meu boleto não chegou este mês']]) }], names: (id) => ({ cobranca: 'Cobrança' })[id] });
    expect(s.customer[0]).toBe('Fui cobrado duas vezes na fatura de novembro.');
    expect(s.done).toEqual(['Bruno Lima: Verifiquei a fatura e abri o pedido de estorno.']);
    expect(s.pending).toEqual(['Cliente: E quando o dinheiro volta para o cartão?']);
    expect(s.history[0]).toMatchObject({ protocol: '2026-7', asked: 'Meu boleto não chegou este mês', outcome: 'encerrado (Cobrança)' });
    const text = summaryText(s);
    expect(text).toContain('O cliente disse: “Fui cobrado duas vezes');
    expect(text).toContain('Pendente: Cliente: E quando o dinheiro volta');
    expect(text).toContain('2026-7 em 11/11/2026');
    // The agent's sentence ends the Feito line with its own full stop, not "estorno..".
    expect(text).toContain('Feito: Bruno Lima: Verifiquei a fatura e abri o pedido de estorno.\n');
  });
});

describe('copilot: sentiment', () => {
  it('reads anger, thanks and negation in Portuguese', () => {
    expect(messageSentiment('Isso é um absurdo, péssimo atendimento!!')).toBeLessThan(-0.5);
    expect(messageSentiment('Muito obrigada, resolveu perfeitamente!')).toBeGreaterThan(0.5);
    expect(messageSentiment('não funcionou')).toBeLessThan(0);
    expect(messageSentiment('Boa tarde, tudo bem?')).toBe(0);
    expect(sentimentLabel(nextSentiment(nextSentiment(null, 'Que descaso, vou no Procon'), 'ninguém resolve'))).toBe('negative');
    expect(sentimentLabel(null)).toBe('neutral');
  });
});
