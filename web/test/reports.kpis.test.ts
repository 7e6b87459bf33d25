import { buildReport } from '@atende/core';
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import ReportsKpis from '@/components/reports/ReportsKpis.vue';
import { i18n } from '@/i18n';

describe('Relatórios: the Abandono card', () => {
  it('says what its count is (a bare "6" sat under the percentage)', () => {
    const { totals } = buildReport([], { businessTime: false });
    const w = mount(ReportsKpis, { props: { totals: { ...totals, closed: 175, abandoned: 6 } }, global: { plugins: [i18n] } });
    const card = w.get('[data-kpi="abandoned"]');
    expect(card.get('[data-value]').text()).toBe('3,4 %');
    expect(card.text()).toContain('6 de 175 finalizados');
  });
});
