import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '@/backend';
import { catalogueByName } from '@atende/core';
import { followCatalogues, versionOf } from '@/live/catalogues';
import { VERSIONED_CATALOGUES } from '@/live/consolePlan';
import { FakeBackend } from './fixtures';

/** A backend that bills listeners (Firebase): versions to watch, and one-shot loads the test answers by hand. */
class VersionedBackend extends FakeBackend {
  versions: ((v: Record<string, number>) => void) | null = null;
  failVersions: (() => void) | null = null;
  versionsStopped = false;
  loads: { query: string; resolve: (docs: unknown[]) => void; reject: (e: unknown) => void }[] = [];
  watchVersions = (listener: (v: Record<string, number>) => void, failed?: () => void) => {
    this.versions = listener;
    this.failVersions = failed ?? null;
    return () => {
      this.versionsStopped = true;
    };
  };
  load = (query: string) => new Promise<never[]>((resolve, reject) => this.loads.push({ query, resolve: resolve as (docs: unknown[]) => void, reject }));
}

const QUERIES = ['sectors.all', 'tags.all', 'settings'] as const;
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('followCatalogues', () => {
  it("names each versioned catalogue's version after the collection core's catalogue reads (its rule, copied to stay out of the first chunk)", () => {
    for (const query of VERSIONED_CATALOGUES) expect(versionOf(query), query).toBe(catalogueByName.get(query)?.collection);
  });

  it('follows every catalogue live where the backend gives no versions (the embedded server)', () => {
    const fake = new FakeBackend();
    const events: string[] = [];
    const stop = followCatalogues(fake, QUERIES, (q, e) => events.push(`${q}:${e.type}`));
    expect(fake.subscriptions.map((s) => s.query)).toEqual([...QUERIES]);
    fake.emit('tags.all', { type: 'changes', changes: [{ type: 'added', doc: { id: 'vip' } }] });
    expect(events).toEqual(['tags.all:changes']);
    stop();
    expect(fake.subscriptions.every((s) => !s.active)).toBe(true);
  });

  it('loads each catalogue once, then again only when its own version moves, and no listener stays open', async () => {
    const b = new VersionedBackend();
    const events: [string, LiveEvent<unknown>][] = [];
    const stop = followCatalogues(b, QUERIES, (q, e) => events.push([q, e]));
    expect(b.loads).toEqual([]);
    // No version document yet (a new project): every catalogue is loaded.
    b.versions!({});
    expect(b.loads.map((l) => l.query)).toEqual([...QUERIES]);
    for (const l of b.loads) l.resolve([{ id: `${l.query}-1` }]);
    await flush();
    expect(events.map(([q, e]) => `${q}:${e.type}`)).toEqual(['sectors.all:snapshot', 'tags.all:snapshot', 'settings:snapshot']);
    // An edit of a tag moves `version` and `tags`: only the tags are read again.
    b.versions!({ version: 1, tags: 1 });
    expect(b.loads.slice(3).map((l) => l.query)).toEqual(['tags.all']);
    // Another edit before that load answered: the older answer is dropped, the newer one applied.
    b.versions!({ version: 2, tags: 2 });
    b.loads[4]!.resolve([{ id: 'newest' }]);
    b.loads[3]!.resolve([{ id: 'older' }]);
    await flush();
    expect(events.slice(3)).toEqual([['tags.all', { type: 'snapshot', docs: [{ id: 'newest' }] }]]);
    // The same versions again (a reconnect's snapshot): nothing is read.
    b.versions!({ version: 2, tags: 2 });
    expect(b.loads).toHaveLength(5);
    expect(b.subscriptions).toEqual([]);
    stop();
    expect(b.versionsStopped).toBe(true);
  });

  it('follows live when the versions cannot be read (rules deployed before them)', () => {
    const b = new VersionedBackend();
    followCatalogues(b, QUERIES, () => undefined);
    b.failVersions!();
    expect(b.subscriptions.map((s) => s.query)).toEqual([...QUERIES]);
  });
});
