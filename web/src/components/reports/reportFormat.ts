/** pt-BR (or en) figures for Relatórios: durations, percentages, counts, and CSV. */
const numberFormats = new Map<string, Intl.NumberFormat>();
const nf = (locale: string, digits: number) => {
  const k = `${locale}:${digits}`;
  let f = numberFormats.get(k);
  if (!f) numberFormats.set(k, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits })));
  return f;
};

export const fmtCount = (locale: string, n: number): string => nf(locale, 0).format(n);

export const fmtPct = (locale: string, p: number | null): string => (p === null ? '—' : `${nf(locale, 1).format(p)} %`);

/** "45 s", "4 min 20 s", "1 h 05 min", "2 d 3 h"; "—" when not measured. */
export const fmtDuration = (ms: number | null): string => {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${String(s % 60).padStart(2, '0')} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
};

/** "02/12" from "2026-12-02". */
export const fmtDay = (day: string): string => `${day.slice(8, 10)}/${day.slice(5, 7)}`;

/** A CSV file as Brazilian spreadsheets open it: `;` separated, quoted when needed, BOM for the accents. */
export const toCsv = (header: string[], rows: (string | number | null)[][], locale: string): string => {
  const cell = (v: string | number | null) => {
    const text = v === null ? '' : typeof v === 'number' ? nf(locale, Number.isInteger(v) ? 0 : 2).format(v).replace(/\u00a0|\u202f/g, '').replace(locale === 'pt-BR' ? /\./g : /,/g, '') : v;
    return /[";\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `\ufeff${[header, ...rows].map((r) => r.map(cell).join(';')).join('\r\n')}\r\n`;
};

export const downloadCsv = (name: string, csv: string): void => {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
};
