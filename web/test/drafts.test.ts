import { beforeEach, describe, expect, it } from 'vitest';
import { clearDraft, loadDraft, MAX_AGE_MS, MAX_CHARS, MAX_DRAFTS, saveDraft } from '@/composables/drafts';
import { loadUnsent, MAX_UNSENT, retryDelay, saveUnsent } from '@/stores/unsent';
import type { Message } from '@atende/core';

beforeEach(() => localStorage.clear());

describe('drafts (kept per user and ticket in this browser)', () => {
  it('keeps each ticket its own draft, per user, and forgets it when cleared or emptied', () => {
    saveDraft('ana', 't1', 'olá');
    saveDraft('ana', 't2', 'outro');
    saveDraft('bruno', 't1', 'do Bruno');
    expect(loadDraft('ana', 't1')).toBe('olá');
    expect(loadDraft('ana', 't2')).toBe('outro');
    expect(loadDraft('bruno', 't1')).toBe('do Bruno');
    clearDraft('ana', 't1');
    saveDraft('ana', 't2', '   ');
    expect(loadDraft('ana', 't1')).toBe('');
    expect(loadDraft('ana', 't2')).toBe('');
  });

  it('is bounded: the newest drafts, none too old, none too long', () => {
    const t0 = 1_000_000;
    for (let i = 0; i < MAX_DRAFTS + 10; i++) saveDraft('ana', `t${i}`, `rascunho ${i}`, t0 + i);
    const kept = Object.keys(localStorage).filter((k) => k.startsWith('atende.draft.'));
    expect(kept).toHaveLength(MAX_DRAFTS);
    expect(loadDraft('ana', 't0', t0 + 100)).toBe('');
    expect(loadDraft('ana', `t${MAX_DRAFTS + 9}`, t0 + 100)).toBe(`rascunho ${MAX_DRAFTS + 9}`);
    expect(loadDraft('ana', `t${MAX_DRAFTS + 9}`, t0 + MAX_AGE_MS + 1_000)).toBe('');
    saveDraft('ana', 'long', 'x'.repeat(MAX_CHARS + 5), t0 + 1_000);
    expect(loadDraft('ana', 'long', t0 + 1_000)).toHaveLength(MAX_CHARS);
  });
});

describe('unsent messages (an outage)', () => {
  const msg = (i: number) => ({ id: `c${i}`, clientId: `c${i}`, ticketId: 't1', text: `m${i}` }) as unknown as Message;

  it('survive a reload in order, bounded, per user', () => {
    saveUnsent('ana', [msg(1), msg(2)]);
    expect(loadUnsent('ana').map((m) => m.text)).toEqual(['m1', 'm2']);
    expect(loadUnsent('bruno')).toEqual([]);
    saveUnsent('ana', Array.from({ length: MAX_UNSENT + 5 }, (_, i) => msg(i)));
    expect(loadUnsent('ana')).toHaveLength(MAX_UNSENT);
    saveUnsent('ana', []);
    expect(localStorage.getItem('atende.unsent.ana')).toBeNull();
    localStorage.setItem('atende.unsent.ana', '{not json');
    expect(loadUnsent('ana')).toEqual([]);
  });

  it('are retried sooner first, then at most every 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map(retryDelay)).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });
});
