import type { Sector, Ticket } from '@atende/core';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import AdminSectorDialog from '@/components/admin/AdminSectorDialog.vue';
import QueueSlaBadge from '@/components/queue/QueueSlaBadge.vue';
import { useBackend } from '@/backend';
import { i18n } from '@/i18n';
import '@/i18n/admin';
import { useCatalogStore } from '@/stores/catalog';
import { FakeBackend } from './fixtures';

const MINUTE = 60_000;
const life = { startedAt: 0, firstQueuedAt: 0, servedAt: null, firstResponseAt: null, transfers: 0 };
const waiting = (sla: Ticket['sla']): Pick<Ticket, 'status' | 'sla' | 'life'> => ({ status: 'waiting', life, sla });

beforeEach(() => {
  document.body.innerHTML = '';
  i18n.global.locale.value = 'pt-BR';
});

describe('SLA badge on a queue card', () => {
  const badge = (ticket: Pick<Ticket, 'status' | 'sla' | 'life'>, now: number) => mount(QueueSlaBadge, { props: { ticket, now }, global: { plugins: [i18n] } });
  const sla = { firstResponseDueAt: 20 * MINUTE, resolutionDueAt: null, businessHours: false };

  it('says the time left (in words in its label), then that it is at risk, then how late (the target in its label) — in words, not only colour', () => {
    const ok = badge(waiting(sla), 8 * MINUTE).get('[data-testid="ticket-sla"]');
    expect(ok.text()).toBe('12 min');
    expect(ok.attributes('data-sla')).toBe('ok');
    expect(ok.attributes('aria-label')).toMatch(/^SLA no prazo: 1ª resposta em 12 min/);
    const risk = badge(waiting(sla), 16 * MINUTE).get('[data-testid="ticket-sla"]');
    expect(risk.attributes('data-sla')).toBe('risk');
    expect(risk.attributes('aria-label')).toMatch(/^SLA em risco: 1ª resposta em 4 min/);
    expect(risk.text()).toBe('1ª resposta em 4 min');
    const late = badge(waiting(sla), 25 * MINUTE).get('[data-testid="ticket-sla"]');
    expect(late.text()).toBe('5 min de atraso');
    expect(late.attributes('aria-label')).toMatch(/^SLA estourado: 1ª resposta atrasada 5 min/);
  });

  it('shows nothing for a sector without targets', () => {
    expect(badge(waiting(null), 0).find('[data-testid="ticket-sla"]').exists()).toBe(false);
  });
});

describe('sector dialog: service levels', () => {
  const sector: Sector = { id: 'suporte', name: 'Suporte', color: '#2563eb', overflowSectorId: null, signature: 'Equipe de Suporte', updatedAt: 1 };
  const open = async (s: Sector) => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const fake = new FakeBackend();
    useBackend(fake);
    useCatalogStore().apply('sectors', { type: 'snapshot', docs: [s] });
    const isOpen = ref(true);
    const Host = defineComponent({ setup: () => () => h(AdminSectorDialog, { sector: s, open: isOpen.value, 'onUpdate:open': (v: boolean) => (isOpen.value = v) }) });
    mount(Host, { global: { plugins: [pinia, i18n] }, attachTo: document.body });
    await flushPromises();
    return fake;
  };
  const type = async (id: string, value: string) => {
    const el = document.getElementById(id) as HTMLInputElement;
    el.value = value;
    el.dispatchEvent(new Event('input'));
    await flushPromises();
  };
  const submit = async () => {
    [...document.body.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Salvar')!.click();
    await flushPromises();
  };

  it('saves the targets and the clock, keeping the sector fields the dialog does not show', async () => {
    const fake = await open(sector);
    await type('sector-sla-first', '15');
    await type('sector-sla-resolution', '8');
    (document.querySelector('input[name="sector-sla-clock"][value="false"]') as HTMLInputElement).click();
    await flushPromises();
    await submit();
    expect(fake.commands[0]).toMatchObject({
      name: 'sector.save',
      input: { id: 'suporte', name: 'Suporte', signature: 'Equipe de Suporte', sla: { firstResponseMinutes: 15, resolutionHours: 8, businessHours: false } },
    });
  });

  it('shows the stored targets, and empty fields mean no SLA', async () => {
    const fake = await open({ ...sector, sla: { firstResponseMinutes: 30, resolutionHours: null, businessHours: true } });
    expect((document.getElementById('sector-sla-first') as HTMLInputElement).value).toBe('30');
    expect((document.getElementById('sector-sla-resolution') as HTMLInputElement).value).toBe('');
    await type('sector-sla-first', '');
    await submit();
    expect(fake.commands[0]).toMatchObject({ name: 'sector.save', input: { sla: null } });
  });

  it('refuses a fractional target next to its field and sends nothing', async () => {
    const fake = await open(sector);
    await type('sector-sla-first', '2.5');
    await submit();
    expect(fake.commands).toHaveLength(0);
    expect(document.getElementById('sector-sla-first-error')?.textContent).toBeTruthy();
  });
});
