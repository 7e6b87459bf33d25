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
