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

describe('Relatórios: the duration cards', () => {
  it('in a narrow card give the mediana and the p90 a line each, with no separator left at a line end', () => {
    const { totals } = buildReport([], { businessTime: false });
    const tma = { n: 12, mean: 1_031_000, median: 746_000, p90: 2_334_000 };
    const w = mount(ReportsKpis, { props: { totals: { ...totals, tma } }, global: { plugins: [i18n] } });
    const card = w.get('[data-kpi="tma"]');
    expect(card.classes()).toContain('@container');
    const lines = card.findAll('[data-extra]');
    expect(lines.map((l) => l.text())).toEqual(['mediana 12 min 26 s', 'p90 38 min 54 s']);
    for (const l of lines) expect(l.classes()).toEqual(expect.arrayContaining(['whitespace-nowrap', '@max-[15rem]:block']));
    expect(card.get('[data-separator]').classes()).toContain('@max-[15rem]:hidden');
  });
});
