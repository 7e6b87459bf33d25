import { mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { ArrowRightLeft } from 'lucide-vue-next';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import IconLabelButton from '@/components/common/IconLabelButton.vue';
import ConversationHeader from '@/components/conversation/ConversationHeader.vue';
import UserAvatar from '@/components/common/UserAvatar.vue';
import { i18n } from '@/i18n';
import { ticket } from './fixtures';

describe('IconLabelButton: its icon and label, or folded, the icon named by the label', () => {
  it('unfolded: icon and label, no aria-label, the hint as tooltip', async () => {
    const onClick = vi.fn();
    const b = mount(IconLabelButton, { props: { icon: ArrowRightLeft, label: 'Transferir', hint: 'Para outro setor', onClick }, attrs: { class: 'btn' } });
    expect(b.text()).toBe('Transferir');
    expect(b.find('svg').exists()).toBe(true);
    expect(b.attributes('aria-label')).toBeUndefined();
    expect(b.attributes('title')).toBe('Para outro setor');
    expect(b.classes()).toContain('btn');
    await b.trigger('click');
    expect(onClick).toHaveBeenCalledOnce();
  });

  it('folded: only the icon, the label as accessible name and tooltip', () => {
    const b = mount(IconLabelButton, { props: { icon: ArrowRightLeft, label: 'Transferir', hint: 'Para outro setor', folded: true } });
    expect(b.text()).toBe('');
    expect(b.find('svg').exists()).toBe(true);
    expect(b.attributes('aria-label')).toBe('Transferir');
    expect(b.attributes('title')).toBe('Transferir');
  });

  it('bare: the label alone while unfolded, the icon once folded', () => {
    const wide = mount(IconLabelButton, { props: { icon: ArrowRightLeft, label: 'Atender', bare: true } });
    expect(wide.find('svg').exists()).toBe(false);
    expect(wide.text()).toBe('Atender');
    const narrow = mount(IconLabelButton, { props: { icon: ArrowRightLeft, label: 'Atender', bare: true, folded: true } });
    expect(narrow.find('svg').exists()).toBe(true);
    expect(narrow.attributes('aria-label')).toBe('Atender');
  });
});

describe('ConversationHeader: the actions fold to icons in a medium pane and keep their names', () => {
  const header = (medium: boolean) =>
    mount(ConversationHeader, {
      props: { ticket: ticket('t1', { status: 'open', assigneeId: 'ana' }), meId: 'ana', can: { accept: false, manage: true, reopen: false }, medium },
      global: { plugins: [i18n, createPinia(), createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: { template: '<div />' } }] })] },
    });
  it('shows Transferir and Devolver à fila by name when wide, as named icons when medium', () => {
    const wide = header(false);
    const named = (w: ReturnType<typeof header>, name: string) => w.findAll('button').find((b) => b.attributes('aria-label') === name || b.text() === name);
    expect(named(wide, 'Transferir')?.text()).toBe('Transferir');
    expect(named(wide, 'Devolver à fila')?.text()).toBe('Devolver à fila');
    const medium = header(true);
    expect(named(medium, 'Transferir')?.attributes('title')).toBe('Transferir');
    expect(named(medium, 'Transferir')?.text()).toBe('');
    expect(named(medium, 'Devolver à fila')?.text()).toBe('');
    expect(named(medium, 'Finalizar')?.text()).toBe('Finalizar');
  });
});

describe('ConversationHeader: a narrow pane gives the name the avatar\'s room', () => {
  const header = (narrow: boolean) =>
    mount(ConversationHeader, {
      props: { ticket: ticket('t1', { status: 'open', assigneeId: 'ana' }), meId: 'ana', can: { accept: false, manage: true, reopen: false }, compact: true, narrow },
      global: { plugins: [i18n, createPinia(), createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: { template: '<div />' } }] })] },
    });
  it('drops the avatar and keeps the actions as icons', () => {
    expect(header(false).findComponent(UserAvatar).exists()).toBe(true);
    const narrow = header(true);
    expect(narrow.findComponent(UserAvatar).exists()).toBe(false);
    expect(narrow.findAll('button').some((b) => b.attributes('aria-label') === 'Finalizar')).toBe(true);
  });
});
