import type { Message, Sector, Settings } from '@atende/core';
import { transferSummary } from '@core/copilot/summary.ts';
import type { StatusResult, SuggestResult } from '@atende/core/copilot';
import { defaultCopilotSettings } from '@core/model/copilot.ts';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, storeToRefs } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import CopilotPanel from '@/components/copilot/CopilotPanel.vue';
import CopilotSentiment from '@/components/copilot/CopilotSentiment.vue';
import CopilotSummary from '@/components/copilot/CopilotSummary.vue';
import { withSummaryMarker } from '@/components/conversation/threadLogic';
import TicketTransferDialog from '@/components/ticket/TicketTransferDialog.vue';
import { useBackend } from '@/backend';
import { composerDrafts, copilotFill } from '@/composables/copilotFill';
import { i18n } from '@/i18n';
import { useCatalogStore } from '@/stores/catalog';
import { useConversationStore } from '@/stores/conversation';
import { useSessionStore } from '@/stores/session';
import { useTicketActions } from '@/stores/ticketActions';
import { FakeBackend, message, ticket, user } from './fixtures';

let fake: FakeBackend;
const sector = (id: string, name: string): Sector => ({ id, name, color: '#2563eb', overflowSectorId: null, updatedAt: 1 });

const suggestion: SuggestResult = {
  replies: [
    { text: 'Olá, Maria! Aqui é Ana Souza.', template: 'Olá, {{contact.name}}!', source: { kind: 'quickReply', quickReplyId: 'ola', shortcut: 'ola' }, score: 2 },
    { text: 'Emita a segunda via na área do cliente.', template: 'x', source: { kind: 'answer', agentName: 'Bruno Lima', at: Date.UTC(2026, 10, 12, 15), ticketId: 'old' }, score: 1 },
  ],
  actions: [
    { kind: 'transfer', sectorId: 'financeiro', confidence: 0.82 },
    { kind: 'classify', classificationId: 'boleto', confidence: 1 },
  ],
  sentiment: null,
  predictions: { sector: { id: 'financeiro', confidence: 0.82 }, classification: { id: 'boleto', confidence: 1 } },
  generated: null,
  customerLanguage: 'other',
};
const status = (configured: boolean): StatusResult => ({ provider: { configured, model: configured ? 'm' : null, models: {} }, settings: defaultCopilotSettings(), examples: 3 });

const setup = async () => {
  const pinia = createPinia();
  setActivePinia(pinia);
  fake = new FakeBackend();
  useBackend(fake);
  await useSessionStore().signIn('ana@atende.local', 'x');
  const catalog = useCatalogStore();
  catalog.apply('sectors', { type: 'snapshot', docs: [sector('suporte', 'Suporte'), sector('financeiro', 'Financeiro')] });
  catalog.apply('classifications', { type: 'snapshot', docs: [{ id: 'boleto', name: 'Boleto', updatedAt: 1 }] });
  catalog.apply('users', { type: 'snapshot', docs: [user({ id: 'bruno', name: 'Bruno Lima', sectorIds: ['financeiro'] })] });
  return pinia;
};

const mountPanel = (pinia: ReturnType<typeof createPinia>, tk = ticket('t1', { status: 'open', assigneeId: 'u1', sectorId: 'suporte' }), writable = true) => {
  const { transferring } = storeToRefs(useTicketActions());
  const Host = defineComponent({
    setup: () => () => [
      h(CopilotPanel, { ticket: tk, canReply: true, writable }),
      h(TicketTransferDialog, { modelValue: transferring.value, 'onUpdate:modelValue': (v: unknown) => (transferring.value = v as typeof transferring.value) }),
    ],
  });
  return mount(Host, { global: { plugins: [pinia, i18n] }, attachTo: document.body });
};

const buttonNamed = (text: string) => [...document.body.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.includes(text));

beforeEach(() => {
  document.body.innerHTML = '';
  copilotFill.value = null;
  composerDrafts.clear();
});

describe('copilot panel', () => {
  it('shows the suggestions as buttons in a labelled group (no list items); one click fills the composer', async () => {
    const pinia = await setup();
    fake.copilotAnswers = { suggest: suggestion, status: status(false) };
    mountPanel(pinia);
    await flushPromises();
    expect(fake.copilotCalls).toContainEqual({ action: 'suggest', input: { ticketId: 't1' } });
    const group = document.body.querySelector('[role="group"][aria-label="Sugestões do copiloto"]')!;
    const replies = group.querySelectorAll('button');
    expect(replies).toHaveLength(2);
    expect(document.body.querySelectorAll('[role="listitem"]')).toHaveLength(0);
    expect(replies[0]!.textContent).toContain('resposta rápida /ola');
    expect(replies[1]!.textContent).toContain('resposta de Bruno em 12/11');
    // One wrapping row: "Resumir" sits beside the replies where it fits, not on a line of its own under them.
    const row = document.body.querySelector('[data-testid="copilot-row"]')!;
    expect(row.contains(group)).toBe(true);
    expect(row.contains(document.body.querySelector('[data-testid="copilot-summarize"]'))).toBe(true);
    replies[0]!.click();
    expect(copilotFill.value).toMatchObject({ ticketId: 't1', text: 'Olá, Maria! Aqui é Ana Souza.' });
    // No provider: rewrite and translate are not offered.
    expect(buttonNamed('Reescrever')).toBeUndefined();
    expect(buttonNamed('Traduzir para o cliente')).toBeUndefined();
  });

  it('with the 24-hour window closed it offers no replies or rewriting for a composer that cannot send; the actions and the summary stay', async () => {
    const pinia = await setup();
    fake.copilotAnswers = { suggest: suggestion, status: status(true) };
    mountPanel(pinia, undefined, false);
    await flushPromises();
    expect(document.body.querySelector('[role="group"][aria-label="Sugestões do copiloto"]')).toBeNull();
    expect(buttonNamed('Reescrever')).toBeUndefined();
    expect(buttonNamed('Traduzir para o cliente')).toBeUndefined();
    expect(buttonNamed('Transferir para Financeiro')).toBeDefined();
    expect(buttonNamed('Resumir')).toBeDefined();
  });

  it('a suggested transfer opens the transfer dialog with the sector chosen; a suggested classification applies in one click', async () => {
    const pinia = await setup();
    fake.copilotAnswers = { suggest: suggestion, status: status(false) };
    mountPanel(pinia);
    await flushPromises();
    const transfer = buttonNamed('Transferir para Financeiro')!;
    expect(transfer.textContent).toContain('82%');
    transfer.click();
    await flushPromises();
    const dialog = document.body.querySelector('[role="dialog"]')!;
    expect(dialog.textContent).toContain('Transferir');
    const chosen = [...dialog.querySelectorAll<HTMLInputElement>('input[type="radio"]')].find((r) => r.checked);
    expect(chosen?.closest('label')?.textContent).toContain('Financeiro');
    expect(fake.commands).toHaveLength(0);

    const classify = buttonNamed('Classificar: Boleto')!;
    expect(classify.textContent).toContain('99%');
    classify.click();
    await flushPromises();
    expect(fake.commands[0]).toMatchObject({ name: 'ticket.classify', input: { ticketId: 't1', classificationId: 'boleto' } });
  });

  it('with a provider, a generated reply streams in first among the suggestions, marked as written by AI, and fills the composer when done', async () => {
    const pinia = await setup();
    fake.copilotAnswers = { suggest: { ...suggestion, generated: { text: 'Vou verificar seu acesso agora.', model: 'fake-m' } }, status: status(true) };
    fake.copilotDeltas = ['Vou verificar ', 'seu acesso agora.'];
    mountPanel(pinia);
    await flushPromises();
    // The offline suggestions come at once; the generated one is asked for separately, streamed.
    expect(fake.copilotCalls).toContainEqual({ action: 'suggest', input: { ticketId: 't1' } });
    expect(fake.copilotCalls).toContainEqual({ action: 'suggest', input: { ticketId: 't1', generate: true } });
    const group = document.body.querySelector('[role="group"][aria-label="Sugestões do copiloto"]')!;
    const buttons = group.querySelectorAll('button');
    expect(buttons).toHaveLength(3);
    const written = buttons[0]!;
    expect(written.dataset.testid).toBe('copilot-generated');
    expect(written.textContent).toContain('Vou verificar seu acesso agora.');
    expect(written.textContent).toContain('gerada por IA');
    expect(written.disabled).toBe(false);
    written.click();
    expect(copilotFill.value).toMatchObject({ ticketId: 't1', text: 'Vou verificar seu acesso agora.' });
  });

  it('without a provider nothing is generated (one offline call)', async () => {
    const pinia = await setup();
    fake.copilotAnswers = { suggest: suggestion, status: status(false) };
    mountPanel(pinia);
    await flushPromises();
    expect(fake.copilotCalls.filter((c) => c.action === 'suggest')).toEqual([{ action: 'suggest', input: { ticketId: 't1' } }]);
    expect(document.body.querySelector('[data-testid="copilot-generated"]')).toBeNull();
  });

  it('with a provider, translates the draft for the customer (streamed), fills the composer and can undo', async () => {
    const pinia = await setup();
    fake.copilotAnswers = { suggest: suggestion, status: status(true), translate: { text: 'I will check it now.', model: 'm' } };
    fake.copilotDeltas = ['I will ', 'check it now.'];
    mountPanel(pinia);
    await flushPromises();
    composerDrafts.set('t1', 'Vou verificar agora.');
    await flushPromises();
    buttonNamed('Traduzir para o cliente')!.click();
    await flushPromises();
    expect(fake.copilotCalls).toContainEqual({ action: 'translate', input: { ticketId: 't1', text: 'Vou verificar agora.', to: 'customer' } });
    expect(copilotFill.value).toMatchObject({ ticketId: 't1', text: 'I will check it now.' });
    composerDrafts.set('t1', 'I will check it now.');
    await flushPromises();
    const original = document.body.querySelector('[data-testid="copilot-original"]')!;
    expect(original.textContent).toContain('Vou verificar agora.');
    buttonNamed('Desfazer')!.click();
    expect(copilotFill.value).toMatchObject({ ticketId: 't1', text: 'Vou verificar agora.' });
  });

  it('stays out of the way when the copilot is unavailable or the ticket is not being served', async () => {
    const pinia = await setup();
    mountPanel(pinia);
    await flushPromises();
    expect(document.body.querySelector('[data-testid="copilot-suggestions"]')).toBeNull();
    document.body.innerHTML = '';
    fake.copilotAnswers = { suggest: suggestion };
    const calls = fake.copilotCalls.length;
    mountPanel(pinia, ticket('t2', { status: 'waiting' }));
    await flushPromises();
    expect(document.body.querySelector('[data-testid="copilot-panel"]')).toBeNull();
    expect(fake.copilotCalls.slice(calls).filter((c) => c.action === 'suggest')).toHaveLength(0);
  });
});

describe('sentiment badge', () => {
  const render = (value: number | null) => mount(CopilotSentiment, { props: { value }, global: { plugins: [i18n] } });

  it('marks clearly unhappy or happy customers and says nothing for neutral or unknown moods, or when switched off', async () => {
    await setup();
    expect(render(-0.6).attributes('data-sentiment')).toBe('negative');
    expect(render(-0.6).text()).toContain('Cliente insatisfeito');
    expect(render(0.5).attributes('data-sentiment')).toBe('positive');
    expect(render(0.1).find('[data-testid="copilot-sentiment"]').exists()).toBe(false);
    expect(render(null).find('[data-testid="copilot-sentiment"]').exists()).toBe(false);
    useCatalogStore().settings = { copilot: { ...defaultCopilotSettings(), sentiment: false } } as Settings;
    expect(render(-0.9).find('[data-testid="copilot-sentiment"]').exists()).toBe(false);
  });
});

describe('a customer writing in another language', () => {
  it('shows their last message translated into Portuguese as it arrives, the original one click away', async () => {
    const pinia = await setup();
    fake.copilotAnswers = { suggest: suggestion, status: status(true), translate: { text: 'Meu pedido não chegou.', model: 'm' } };
    mountPanel(pinia, ticket('t3', { status: 'open', assigneeId: 'u1', sectorId: 'suporte', lastMessage: { text: 'My order did not arrive.', direction: 'in', at: 5 } }));
    await flushPromises();
    await flushPromises();
    expect(fake.copilotCalls).toContainEqual({ action: 'translate', input: { ticketId: 't3', text: 'My order did not arrive.', to: 'pt-BR' } });
    const box = document.body.querySelector('[data-testid="copilot-incoming"]')!;
    expect(box.textContent).toContain('Meu pedido não chegou.');
    buttonNamed('Ver original')!.click();
    await flushPromises();
    expect(box.textContent).toContain('My order did not arrive.');
  });
});

describe('the transfer summary', () => {
  const thread = [
    message('m1', { direction: 'in', text: 'Boa tarde! Meu modem não liga desde ontem à noite.', createdAt: 1 }),
    message('m2', { direction: 'out', authorName: 'Ana Souza', text: 'Verifiquei a linha e vou passar para o Financeiro.', createdAt: 2 }),
    message('m3', { direction: 'system', text: '', createdAt: 3, event: { kind: 'transferred', actorName: 'Ana Souza', fromSectorId: 'suporte', toSectorId: 'financeiro' } }),
  ];
  const render = (pinia: ReturnType<typeof createPinia>) =>
    mount(CopilotSummary, { props: { ticket: ticket('t5', { status: 'waiting', sectorId: 'financeiro' }) }, global: { plugins: [pinia, i18n] } });

  it('is made from the thread on screen, the lines before the transfer (nothing stored for it), and not when switched off', async () => {
    const pinia = await setup();
    useConversationStore().applyMessages('t5', { type: 'snapshot', docs: thread.slice(0, 2) });
    expect(render(pinia).find('[data-testid="copilot-summary"]').exists()).toBe(false);
    useConversationStore().applyMessages('t5', { type: 'snapshot', docs: thread });
    const box = render(pinia).get('[data-testid="copilot-summary"]');
    expect(box.attributes('aria-label')).toBe('Resumo da transferência');
    expect(box.text()).toContain('O cliente disse: “Meu modem não liga desde ontem à noite.”');
    expect(box.text()).toContain('Ana Souza: Verifiquei a linha');
    useCatalogStore().settings = { copilot: { ...defaultCopilotSettings(), summary: false } } as Settings;
    expect(render(pinia).find('[data-testid="copilot-summary"]').exists()).toBe(false);
  });

  it('keeps its marker line after the transfer line in the thread, as when it was stored (once for a stored one)', () => {
    const kinds = (messages: Message[]) => withSummaryMarker(messages, transferSummary(messages)).map((m) => m.event?.kind ?? m.direction);
    expect(kinds(thread)).toEqual(['in', 'out', 'transferred', 'summary']);
    const stored = message('m4', { direction: 'system', text: 'O cliente disse: “antes”', createdAt: 3, event: { kind: 'summary', actorName: null } });
    expect(kinds([...thread, stored])).toEqual(['in', 'out', 'transferred', 'summary']);
    expect(kinds(thread.slice(0, 2))).toEqual(['in', 'out']);
    expect(withSummaryMarker(thread, null)).toEqual(thread);
  });
});
