import { describe, expect, it } from 'vitest';
import type { Composer } from 'vue-i18n';
import { elapsedPhrase, formatDuration, formatElapsed } from '@/composables/format';
import { i18n } from '@/i18n';

// The app's own composer is typed with its messages; the helpers take any composer's t.
const t = i18n.global.t as unknown as Composer['t'];

describe('elapsed times and durations', () => {
  it('a clock of the last seconds says "agora", a length of time never does', () => {
    i18n.global.locale.value = 'pt-BR';
    expect(formatElapsed(t, 2_000)).toBe('agora');
    expect(formatDuration(t, 2_000)).toBe('2 s');
    expect(formatDuration(t, 0)).toBe('0 s');
    expect(formatDuration(t, 65 * 60_000)).toBe('1 h 5 min');
    expect(formatElapsed(t, 65 * 60_000)).toBe('1 h 5 min');
  });

  it('a ticket closed a moment ago is "Finalizado agora mesmo", not "Finalizado há agora"', () => {
    i18n.global.locale.value = 'pt-BR';
    expect(elapsedPhrase(t, 1_000, 'ticket.closedAgo', 'ticket.closedJustNow')).toBe('Finalizado agora mesmo');
    expect(elapsedPhrase(t, 120_000, 'ticket.closedAgo', 'ticket.closedJustNow')).toBe('Finalizado há 2 min');
  });
});

describe('phone numbers as people read them', () => {
  it('a Brazilian number gets its spaces and dash; anything else stays as stored', async () => {
    const { formatPhone } = await import('@/composables/format');
    expect(formatPhone('+5511912345280')).toBe('+55 11 91234-5280');
    expect(formatPhone('551140000002')).toBe('+55 11 4000-0002');
    expect(formatPhone('+55 (11) 91234-5280')).toBe('+55 11 91234-5280');
    expect(formatPhone('+14155550123')).toBe('+14155550123');
    expect(formatPhone('ramal 204')).toBe('ramal 204');
  });
});
