import { mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import QueueTicketCard from '@/components/queue/QueueTicketCard.vue';
import { i18n } from '@/i18n';
import { ticket } from './fixtures';

const card = (lastMessage: { text: string; direction: 'in' | 'out'; at: number; failed?: boolean }) =>
  mount(QueueTicketCard, {
    props: { ticket: ticket('t1', { status: 'open', assigneeId: 'ana', lastMessage }), now: lastMessage.at + 60_000, can: { accept: false, manage: true, reopen: false }, meId: 'ana' },
    global: { plugins: [i18n, createPinia()] },
  });

describe('QueueTicketCard: the last message we sent', () => {
  it('shows ✓ when it went out, and the red "!" instead when it was not delivered', () => {
    const sent = card({ text: 'Olá!', direction: 'out', at: 1_000 });
    expect(sent.text()).toContain('✓ Olá!');
    expect(sent.find('[data-testid="last-failed"]').exists()).toBe(false);
    const failed = card({ text: 'Olá!', direction: 'out', at: 1_000, failed: true });
    expect(failed.text()).not.toContain('✓');
    expect(failed.get('[data-testid="last-failed"]').attributes('aria-label')).toBe('A última mensagem não foi entregue');
  });
});

describe('QueueTicketCard: a waiting ticket that overflowed', () => {
  const waiting = (overflow: boolean) =>
    mount(QueueTicketCard, {
      props: { ticket: ticket('t2', { status: 'waiting', overflow }), now: 60_000, can: { accept: true, manage: true, reopen: false }, meId: 'ana' },
      global: { plugins: [i18n, createPinia()] },
    });
  it('folds Espiar and Transbordo to named icons so the sector chip keeps its name beside Atender', () => {
    const plain = waiting(false);
    expect(plain.findAll('button').some((b) => b.text() === 'Espiar')).toBe(true);
    const crowded = waiting(true);
    const peek = crowded.get('button[aria-label="Espiar"]');
    expect(peek.text()).toBe('');
    expect(peek.attributes('title')).toBe('Espiar');
    const chip = crowded.get('[data-testid="overflow-chip"]');
    expect(chip.text()).toBe('');
    expect(chip.attributes('aria-label')).toBe('Transbordo');
    expect(crowded.findAll('button').some((b) => b.text() === 'Atender')).toBe(true);
  });
});
