import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIdGenerator, defaultSettings, Id, isWithinBusinessHours, PROTOCOL_SHARDS, protocolFor, safeKey } from '../src/index.ts';
import { T0 } from './support.ts';

describe('ids', () => {
  it('are valid document ids, strictly increasing while the clock does not go back', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 5 }), { minLength: 2, maxLength: 200 }), (steps) => {
        let now = T0;
        const next = createIdGenerator(() => now);
        const ids = steps.map((step) => {
          now += step;
          return next();
        });
        for (const id of ids) expect(Id.safeParse(id).success).toBe(true);
        for (let i = 1; i < ids.length; i++) expect(ids[i - 1]! < ids[i]!, `${ids[i - 1]} < ${ids[i]}`).toBe(true);
      }),
    );
  });

  it('safeKey keeps safe strings and hashes the rest into a stable safe id', () => {
    expect(safeKey('site:abc-1')).toBe('site:abc-1');
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        const k = safeKey(s);
        expect(Id.safeParse(k).success).toBe(true);
        expect(safeKey(s)).toBe(k);
      }),
    );
    expect(safeKey('zap:wamid/1')).not.toBe(safeKey('zap:wamid/2'));
  });

  it('protocols read as the local day, the shard digit and a four-digit sequence', () => {
    const settings = defaultSettings(T0);
    expect(protocolFor.format(T0, settings, 3, 42)).toBe('20261123-30042');
    expect(protocolFor.format(T0, settings, 0, 12345)).toBe('20261123-012345');
    expect(protocolFor.counterId(Date.parse('2026-11-24T02:59:00Z'), settings, 7)).toBe('protocol.20261123.7');
    expect(protocolFor.counterId(Date.parse('2026-11-24T03:00:00Z'), settings, 7)).toBe('protocol.20261124.7');
  });

  it('spreads contacts over every protocol shard, always the same one for a contact', () => {
    const seen = new Map<number, number>();
    for (let i = 0; i < 2000; i++) {
      const shard = protocolFor.shard(`whatsapp:55119${String(i).padStart(8, '0')}`);
      expect(shard).toBe(protocolFor.shard(`whatsapp:55119${String(i).padStart(8, '0')}`));
      seen.set(shard, (seen.get(shard) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual(Array.from({ length: PROTOCOL_SHARDS }, (_, i) => i));
    // No shard takes more than twice its fair share.
    for (const n of seen.values()) expect(n).toBeLessThan((2000 / PROTOCOL_SHARDS) * 2);
  });

  it('never gives two (shard, sequence) pairs of a day the same number', () => {
    const settings = defaultSettings(T0);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: PROTOCOL_SHARDS - 1 }), fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 0, max: PROTOCOL_SHARDS - 1 }), fc.integer({ min: 1, max: 200_000 }), (s1, q1, s2, q2) => {
        fc.pre(s1 !== s2 || q1 !== q2);
        expect(protocolFor.format(T0, settings, s1, q1)).not.toBe(protocolFor.format(T0, settings, s2, q2));
      }),
    );
  });
});

describe('business hours (D5)', () => {
  const hours = { ...defaultSettings(T0).businessHours, enabled: true };
  const at = (iso: string) => Date.parse(iso);

  it('follow the workspace time zone, open inclusive, close exclusive', () => {
    expect(isWithinBusinessHours(hours, at('2026-11-23T11:00:00Z'))).toBe(true); // Mon 08:00
    expect(isWithinBusinessHours(hours, at('2026-11-23T10:59:00Z'))).toBe(false); // Mon 07:59
    expect(isWithinBusinessHours(hours, at('2026-11-23T20:59:00Z'))).toBe(true); // Mon 17:59
    expect(isWithinBusinessHours(hours, at('2026-11-23T21:00:00Z'))).toBe(false); // Mon 18:00
    expect(isWithinBusinessHours(hours, at('2026-11-28T13:00:00Z'))).toBe(false); // Saturday
    // Monday 01:00 UTC is still Sunday evening in São Paulo.
    expect(isWithinBusinessHours(hours, at('2026-11-23T01:00:00Z'))).toBe(false);
  });

  it('holidays are closed, and disabled hours are always open', () => {
    expect(isWithinBusinessHours({ ...hours, holidays: ['2026-11-23'] }, T0)).toBe(false);
    expect(isWithinBusinessHours({ ...hours, enabled: false }, at('2026-11-28T13:00:00Z'))).toBe(true);
  });
});
