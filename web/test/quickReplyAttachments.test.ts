import type { Attachment, QuickReply, Settings } from '@atende/core';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { BackendError, useBackend } from '@/backend';
import ConversationComposer from '@/components/conversation/ConversationComposer.vue';
import { i18n } from '@/i18n';
import { useCatalogStore } from '@/stores/catalog';
import { useSessionStore } from '@/stores/session';
import { useTicketsStore } from '@/stores/tickets';
import { FakeBackend, ticket } from './fixtures';

const pdf: Attachment = { id: 'qa1', name: 'tabela.pdf', mime: 'application/pdf', size: 2048, kind: 'document' };

/** The fake server's copy: each call waits until the test settles it. */
class CopyingBackend extends FakeBackend {
  copies: { args: [string, string, string]; resolve: (a: Attachment) => void; reject: (e: unknown) => void }[] = [];
  copyQuickReplyFile = (ticketId: string, quickReplyId: string, attachmentId: string) =>
    new Promise<Attachment>((resolve, reject) => this.copies.push({ args: [ticketId, quickReplyId, attachmentId], resolve, reject }));
}

let fake: CopyingBackend;
let pinia: ReturnType<typeof createPinia>;

beforeEach(async () => {
  pinia = createPinia();
  setActivePinia(pinia);
  fake = new CopyingBackend();
  useBackend(fake);
  i18n.global.locale.value = 'pt-BR';
  await useSessionStore().signIn('ana@atende.local', 'x');
  const catalog = useCatalogStore();
  const reply: QuickReply = { id: 'precos', shortcut: 'precos', text: 'Segue a tabela, {{contact.name}}.', sectorIds: [], attachments: [pdf], updatedAt: 1 };
  catalog.quickReplies.set(reply.id, reply);
  catalog.settings = { attachments: { maxBytes: 1024 * 1024, allowedTypes: ['application/pdf'] } } as Settings;
  useTicketsStore().byId.set('t1', ticket('t1', { status: 'open', assigneeId: 'ana', contact: { name: 'Maria Oliveira', phone: null, email: null } }));
});

const composer = () => mount(ConversationComposer, { props: { ticketId: 't1', disabledReason: null }, global: { plugins: [i18n, pinia] }, attachTo: document.body });

describe('a quick reply with files', () => {
  it('puts its files in the tray, copied into the ticket, and sends them with the text', async () => {
    const w = composer();
    const box = w.get('textarea');
    await box.setValue('/prec');
    // The picker shows the reply as Maria will read it, not its {{contact.name}}.
    expect(w.get('[role="listbox"]').text()).toContain('Segue a tabela, Maria Oliveira.');
    expect(w.get('[role="listbox"]').text()).not.toContain('{{');
    await box.trigger('keydown', { key: 'Enter' });
    expect((box.element as HTMLTextAreaElement).value).toBe('Segue a tabela, Maria Oliveira.');
    expect(fake.copies.map((c) => c.args)).toEqual([['t1', 'precos', 'qa1']]);
    const tray = () => w.get('ul').text();
    expect(tray()).toContain('tabela.pdf');
    // Sending waits for the copy, like any upload on its way.
    await box.trigger('keydown', { key: 'Enter' });
    expect(fake.commands).toHaveLength(0);
    fake.copies[0]!.resolve({ ...pdf, id: 'copia1' });
    await flushPromises();
    await box.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(fake.commands[0]).toMatchObject({ name: 'message.send', input: { ticketId: 't1', text: 'Segue a tabela, Maria Oliveira.', attachments: [{ ...pdf, id: 'copia1' }] } });
    w.unmount();
  });

  it('shows a refused copy in the tray with its reason, and the text can still go alone', async () => {
    const w = composer();
    const box = w.get('textarea');
    await box.setValue('/precos');
    await box.trigger('keydown', { key: 'Enter' });
    fake.copies[0]!.reject(new BackendError('permission-denied', 'this ticket belongs to a sector you are not in', [], 403));
    await flushPromises();
    expect(w.get('[role="alert"]').text()).toBe('Este atendimento é de um setor em que você não está');
    await box.trigger('keydown', { key: 'Enter' });
    expect(w.emitted('send')).toEqual([['Segue a tabela, Maria Oliveira.']]);
    w.unmount();
  });

  it('leaves the tray empty on a backend without quick-reply files', async () => {
    const plain = new FakeBackend();
    useBackend(plain);
    const w = composer();
    const box = w.get('textarea');
    await box.setValue('/precos');
    await box.trigger('keydown', { key: 'Enter' });
    expect((box.element as HTMLTextAreaElement).value).toBe('Segue a tabela, Maria Oliveira.');
    expect(w.text()).not.toContain('tabela.pdf');
    w.unmount();
  });
});
