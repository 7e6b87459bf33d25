import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import TicketSidePanel from '@/components/ticket/TicketSidePanel.vue';
import { BackendError, useBackend } from '@/backend';
import { i18n } from '@/i18n';
import { useCatalogStore } from '@/stores/catalog';
import { useConversationStore } from '@/stores/conversation';
import { useSessionStore } from '@/stores/session';
import { useTicketsStore } from '@/stores/tickets';
import { useWorkspaceStore } from '@/stores/workspace';
import { FakeBackend, ticket, user } from './fixtures';

let fake: FakeBackend;

const setup = async () => {
  setActivePinia(createPinia());
  fake = new FakeBackend();
  useBackend(fake);
  await useSessionStore().signIn('ana@atende.local', 'atende123');
  return useWorkspaceStore();
};

/** Which tickets have a live message subscription right now. */
const followed = () => fake.subscriptions.filter((s) => s.active && s.query === 'messages.ofTicket').map((s) => s.params.ticketId);

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  document.body.innerHTML = '';
});

describe('workspace store', () => {
  it('opens up to four windows in order; a fifth asks instead of pushing one out', async () => {
    const ws = await setup();
    for (const id of ['a', 'b', 'c', 'd']) expect(ws.open(id)).toBe('opened');
    expect(ws.windows).toEqual(['a', 'b', 'c', 'd']);
    expect(ws.activeId).toBe('d');
    expect(followed()).toEqual(['a', 'b', 'c', 'd']);

    expect(ws.open('e')).toBe('asking');
    expect(ws.asking).toBe('e');
    expect(ws.windows).toEqual(['a', 'b', 'c', 'd']);
    expect(followed()).not.toContain('e');

    // Opening one already on screen only brings it forward.
    expect(ws.open('b')).toBe('opened');
    expect(ws.activeId).toBe('b');
    expect(ws.windows).toHaveLength(4);
  });

  it('puts the fifth in the place of the window the agent gives up, or nowhere when cancelled', async () => {
    const ws = await setup();
    for (const id of ['a', 'b', 'c', 'd']) ws.open(id);
    ws.open('e');
    ws.cancelAsking();
    expect(ws.asking).toBeNull();
    expect(ws.windows).toEqual(['a', 'b', 'c', 'd']);

    ws.open('e');
    ws.replace('b');
    expect(ws.asking).toBeNull();
    expect(ws.windows).toEqual(['a', 'e', 'c', 'd']);
    expect(ws.activeId).toBe('e');
    expect(followed()).toEqual(['a', 'c', 'd', 'e']);
  });

  it('closes a window without touching the ticket, and the neighbour on the left becomes active', async () => {
    const ws = await setup();
    for (const id of ['a', 'b', 'c']) ws.open(id);
    ws.activate('b');
    ws.close('b');
    expect(ws.windows).toEqual(['a', 'c']);
    expect(ws.activeId).toBe('a');
    expect(fake.commands).toHaveLength(0); // no ticket.close, no ticket.* at all
    ws.close('a');
    expect(ws.activeId).toBe('c');
    ws.close('c');
    expect(ws.activeId).toBeNull();
    expect(followed()).toEqual([]);
  });

  it('moves between windows by number and by step, wrapping around', async () => {
    const ws = await setup();
    for (const id of ['a', 'b', 'c', 'd']) ws.open(id);
    ws.activateAt(0);
    expect(ws.activeId).toBe('a');
    ws.step(-1);
    expect(ws.activeId).toBe('d');
    ws.step(1);
    expect(ws.activeId).toBe('a');
    ws.activateAt(2);
    expect(ws.activeId).toBe('c');
    ws.activateAt(7); // no such window: nothing changes
    expect(ws.activeId).toBe('c');
  });

  it('remembers the layout and the side panel across sessions', async () => {
    const ws = await setup();
    expect(ws.layout).toBe('windows');
    ws.layout = 'columns';
    ws.sidePanel = true;
    await nextTick();
    expect(localStorage.getItem('atende.workspace.layout')).toBe('columns');
    const again = await setup();
    expect(again.layout).toBe('columns');
    expect(again.sidePanel).toBe(true);
  });

  it('reopens the same windows, in order, after a reload of the tab; a sign-out leaves none', async () => {
    const ws = await setup();
    for (const id of ['a', 'b', 'c']) ws.open(id);
    ws.activate('b');
    await nextTick();
    const again = await setup(); // a new page: new stores, new backend, same tab storage
    expect(again.windows).toEqual(['a', 'b', 'c']);
    expect(again.activeId).toBe('b');
    expect(followed()).toEqual(['a', 'b', 'c']);

    useConversationStore().reset(); // what signing out does
    await nextTick();
    expect(again.windows).toEqual([]);
    expect((await setup()).windows).toEqual([]);
  });

  it('leaves the four windows alone when History or Supervision opens and closes a conversation of its own', async () => {
    const ws = await setup();
    for (const id of ['a', 'b', 'c', 'd']) ws.open(id);
    const conversation = useConversationStore();
    conversation.open('h');
    await nextTick();
    expect(ws.windows).toEqual(['a', 'b', 'c', 'd']);
    expect(followed()).toEqual(['a', 'b', 'c', 'd', 'h']);
    conversation.close('h');
    await nextTick();
    expect(ws.windows).toEqual(['a', 'b', 'c', 'd']);
    expect(followed()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('drops a window whose conversation was closed elsewhere (transferred out of my sectors)', async () => {
    const ws = await setup();
    for (const id of ['a', 'b']) ws.open(id);
    useConversationStore().close('b');
    await nextTick();
    expect(ws.windows).toEqual(['a']);
    expect(ws.activeId).toBe('a');
  });
});

describe('side panel', () => {
  const mountPanel = async (fields: Parameters<typeof ticket>[1] = {}) => {
    const ws = await setup();
    const catalog = useCatalogStore();
    for (const tag of [
      { id: 'vip', name: 'VIP', color: '#7c3aed', updatedAt: 1 },
      { id: 'urgente', name: 'Urgente', color: '#dc2626', updatedAt: 1 },
    ])
      catalog.tags.set(tag.id, tag);
    catalog.classifications.set('resolvida', { id: 'resolvida', name: 'Dúvida resolvida', updatedAt: 1 });
    useTicketsStore().upsert(ticket('t1', { status: 'open', assigneeId: user().id, acceptedAt: Date.now() - 65_000, tagIds: ['vip'], ...fields }));
    ws.open('t1');
    const w = mount(TicketSidePanel, { global: { plugins: [i18n] }, attachTo: document.body });
    await flushPromises();
    return w;
  };
  const button = (w: ReturnType<typeof mount>, name: string) => w.get(`button[aria-label="${name}"]`);

  it('copies the protocol and says so', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    const w = await mountPanel();
    expect(w.text()).toContain('20261121-t1');
    expect(w.text()).not.toContain('Copiado');
    await button(w, 'Copiar protocolo').trigger('click');
    await flushPromises();
    expect(writeText).toHaveBeenCalledWith('20261121-t1');
    expect(w.get('[role="status"]').text()).toBe('Copiado');
    w.unmount();
  });

  it('adds and removes tags with ticket.setTags, showing them as coloured chips', async () => {
    const w = await mountPanel();
    const chips = w.get('ul[aria-label="Etiquetas do atendimento"]');
    expect(chips.text()).toContain('VIP');
    expect(chips.get('li').attributes('style')).toContain('color: #7c3aed');

    await w.get('select[aria-label="Adicionar etiqueta"]').setValue('urgente');
    expect(fake.commands[0]).toMatchObject({ name: 'ticket.setTags', input: { ticketId: 't1', tagIds: ['vip', 'urgente'] } });
    fake.commands[0]!.resolve({ ticket: ticket('t1', { status: 'open', assigneeId: 'ana', tagIds: ['vip', 'urgente'], updatedAt: 2000 }) });
    await flushPromises();
    expect(w.get('ul[aria-label="Etiquetas do atendimento"]').text()).toContain('Urgente');

    await button(w, 'Remover etiqueta VIP').trigger('click');
    expect(fake.commands[1]).toMatchObject({ name: 'ticket.setTags', input: { ticketId: 't1', tagIds: ['urgente'] } });
    w.unmount();
  });

  it('classifies with ticket.classify and shows the server refusal inline', async () => {
    const w = await mountPanel();
    await w.get('select#side-classification').setValue('resolvida');
    expect(fake.commands[0]).toMatchObject({ name: 'ticket.classify', input: { ticketId: 't1', classificationId: 'resolvida' } });
    fake.commands[0]!.reject(new BackendError('permission-denied', 'this ticket is assigned to someone else', [], 403));
    await flushPromises();
    expect(w.get('[role="alert"]').text()).toBe('Este atendimento está com outra pessoa');
    expect((w.get('select#side-classification').element as HTMLSelectElement).value).toBe('');
    w.unmount();
  });

  it('edits the contact in place and puts a refused field’s reason under that field', async () => {
    const w = await mountPanel();
    await button(w, 'Editar contato').trigger('click');
    await w.get('#contact-name').setValue('Maria Souza');
    await w.get('#contact-email').setValue('nao-e-email');
    await w.get('form').trigger('submit');
    expect(fake.commands[0]).toMatchObject({ name: 'contact.update', input: { contactId: 'contact-t1', name: 'Maria Souza', email: 'nao-e-email', phone: null } });
    fake.commands[0]!.reject(new BackendError('invalid-argument', 'email: Invalid email', [{ path: 'email', message: 'Invalid email' }], 400));
    await flushPromises();
    expect(w.get('#contact-email').attributes('aria-invalid')).toBe('true');
    expect(w.get('[role="alert"]').text()).toBe('E-mail inválido');

    await w.get('#contact-email').setValue('');
    await w.get('form').trigger('submit');
    fake.commands[1]!.resolve({ contact: { id: 'contact-t1', name: 'Maria Souza', phone: null, email: null, identityKeys: [], tagIds: [], notes: '', createdAt: 1, updatedAt: 3 } });
    await flushPromises();
    expect(w.find('form').exists()).toBe(false);
    expect(w.get('[data-testid="side-contact-name"]').text()).toBe('Maria Souza');
    w.unmount();
  });

  it('keeps the contact’s own tags and notes live, and changes its tags with contact.update', async () => {
    const w = await mountPanel();
    const contact = { id: 'contact-t1', name: 'Cliente t1', phone: null, email: null, identityKeys: [], tagIds: ['urgente'], notes: 'Cliente desde 2019', createdAt: 1, updatedAt: 5 };
    fake.emit('contact', { type: 'snapshot', docs: [contact] }, (p) => p.id === 'contact-t1');
    await flushPromises();
    expect(w.get('ul[aria-label="Etiquetas do contato"]').text()).toContain('Urgente');
    expect(w.get('[data-testid="contact-notes"]').text()).toContain('Cliente desde 2019');

    await w.get('select[aria-label="Adicionar etiqueta ao contato"]').setValue('vip');
    expect(fake.commands[0]).toMatchObject({ name: 'contact.update', input: { contactId: 'contact-t1', tagIds: ['urgente', 'vip'] } });
    fake.emit('contact', { type: 'changes', changes: [{ type: 'modified', doc: { ...contact, tagIds: ['urgente', 'vip'], updatedAt: 6 } }] }, (p) => p.id === 'contact-t1');
    await flushPromises();
    expect(w.get('ul[aria-label="Etiquetas do contato"]').text()).toContain('VIP');
    w.unmount();
    // The panel gone, the contact is no longer followed.
    expect(fake.subscriptions.filter((s) => s.query === 'contact' && s.active)).toHaveLength(0);
  });

  it('shows tags and classification read-only to someone who may not manage the ticket', async () => {
    const w = await mountPanel({ assigneeId: 'bruno' });
    expect(w.find('select[aria-label="Adicionar etiqueta"]').exists()).toBe(false);
    expect(w.find('button[aria-label="Remover etiqueta VIP"]').exists()).toBe(false);
    expect(w.get('select#side-classification').attributes('disabled')).toBeDefined();
    w.unmount();
  });
});
