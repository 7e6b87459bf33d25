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
