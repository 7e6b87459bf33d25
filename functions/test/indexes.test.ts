import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  catalogue,
  CUSTOMER_TICKETS_COLLECTION,
  customerMessagesFromSpec,
  customerMessagesSpec,
  customerTicketsChangedSpec,
  customerTicketsSpec,
  firestoreCollectionOf,
  firestoreIndexes,
  type QuerySpec,
} from '@atende/core';
import { catalogueSpecs as allCatalogueSpecs, commandSpecs } from './support/querySpecs.ts';

/** The catalogue's queries as Firestore runs them: Esperando on the queue's entries (core/src/store/queueLayout.ts). */
const catalogueSpecs = async () =>
  (await allCatalogueSpecs()).map(({ label, spec }) => ({ label, spec: { ...spec, collection: firestoreCollectionOf(label.split(' ')[0]!, spec) } as QuerySpec }));

/**
 * Every query Atende runs on Firestore must have the index it needs in
 * firestore.indexes.json, or Firestore refuses it in production (and
 * nowhere else: neither emulator checks indexes). The catalogue queries
 * are instantiated for every kind of actor; the queries commands run inside
 * transactions are recorded from real runs.
 */

type IndexField = { fieldPath: string; order?: 'ASCENDING' | 'DESCENDING'; arrayConfig?: 'CONTAINS' };
type Index = { collectionGroup: string; queryScope: 'COLLECTION' | 'COLLECTION_GROUP'; fields: IndexField[] };
/** What a query needs: the first `equalityCount` fields may come in any order. */
type Needed = Index & { equalityCount: number };

const file = JSON.parse(readFileSync(new URL('../../firestore.indexes.json', import.meta.url), 'utf8')) as { indexes: Index[] };

const RANGE = new Set(['<', '<=', '>', '>=', '!=']);

/** The composite index a query needs, or null when single-field indexes (and index merging) serve it. */
export const neededIndex = (spec: QuerySpec): Needed | null => {
  // limitToLast runs as the reversed order with a limit.
  const flip = spec.limitToLast !== undefined;
  const order = spec.orderBy.map(([f, d]) => [f, (d === 'asc') !== flip ? 'ASCENDING' : 'DESCENDING'] as const);
  const range = spec.where.find(([, op]) => RANGE.has(op));
  if (range && !order.some(([f]) => f === range[0])) order.unshift([range[0], flip ? 'DESCENDING' : 'ASCENDING']);
  const ordered = new Set(order.map(([f]) => f));
  const equality = [...new Set(spec.where.filter(([f, op]) => (op === '==' || op === 'in') && !ordered.has(f)).map(([f]) => f))];
  const contains = spec.where.filter(([, op]) => op === 'array-contains' || op === 'array-contains-any').map(([f]) => f);
  // Only equality filters (and one array-contains): Firestore merges single-field indexes.
  if (order.length === 0) return null;
  // One field in all: its single-field index.
  if (equality.length === 0 && contains.length === 0 && order.length === 1) return null;
  return {
    equalityCount: equality.length + contains.length,
    collectionGroup: spec.collection,
    queryScope: spec.collection === 'messages' && spec.parentId === undefined ? 'COLLECTION_GROUP' : 'COLLECTION',
    fields: [
      ...equality.map((fieldPath) => ({ fieldPath, order: 'ASCENDING' as const })),
      ...contains.map((fieldPath) => ({ fieldPath, arrayConfig: 'CONTAINS' as const })),
      ...order.map(([fieldPath, o]) => ({ fieldPath, order: o })),
    ],
  };
};

const key = (f: IndexField) => `${f.fieldPath}:${f.order ?? f.arrayConfig}`;

/** Equality fields may come in any order in the index; the ordered ones must match exactly, last. */
const serves = (index: Index, needed: Needed): boolean => {
  if (index.collectionGroup !== needed.collectionGroup || index.queryScope !== needed.queryScope) return false;
  if (index.fields.length !== needed.fields.length) return false;
  const head = (fs: IndexField[]) => fs.slice(0, needed.equalityCount).map(key).sort().join(',');
  const tail = (fs: IndexField[]) => fs.slice(needed.equalityCount).map(key).join(',');
  return head(index.fields) === head(needed.fields) && tail(index.fields) === tail(needed.fields);
};

const hasIndex = (needed: Needed): boolean => file.indexes.some((i) => serves(i, needed));

/** The widget's reads on Firebase (web/src/widget/poll.ts): tickets through the customer projection, then only what changed. */
const widgetSpecs = (): { label: string; spec: QuerySpec }[] => {
  const who = { kind: 'customer', contactId: 'C1', channelId: 'site' } as const;
  const projection = (spec: QuerySpec) => ({ ...spec, collection: CUSTOMER_TICKETS_COLLECTION }) as unknown as QuerySpec;
  return [
    { label: 'widget: customer tickets', spec: projection(customerTicketsSpec(who)) },
    { label: 'widget: customer tickets changed since', spec: projection(customerTicketsChangedSpec(who, 1)) },
    { label: 'widget: customer messages', spec: customerMessagesSpec('T1') },
    { label: 'widget: customer messages from', spec: customerMessagesFromSpec('T1', 1) },
  ];
};

describe('firestore.indexes.json', () => {
  it('is what `npm run indexes` writes from core/src/store/indexes.ts (edit the list, not the file)', () => {
    expect(file).toEqual(JSON.parse(JSON.stringify(firestoreIndexes())));
  });


  it('has a composite index for every catalogue query, for every role', async () => {
    const specs = await catalogueSpecs();
    // Every query of the catalogue was instantiated at least once.
    const names = new Set(specs.map((s) => s.label.split(' ')[0]));
    for (const q of catalogue) if (!['ticket', 'contact', 'settings'].includes(q.name)) expect(names, q.name).toContain(q.name);
    const missing = specs.flatMap(({ label, spec }) => {
      const needed = neededIndex(spec);
      return needed && !hasIndex(needed) ? [`${label}: ${needed.fields.map(key).join(', ')}`] : [];
    });
    expect(missing).toEqual([]);
  });

  it('has a composite index for every query the commands and the automation run', async () => {
    const specs = await commandSpecs();
    expect(specs.length).toBeGreaterThan(5);
    expect(specs.some(({ spec }) => spec.where.some(([f, op]) => f === 'lastMessageAt' && op === '<='))).toBe(true);
    const missing = specs.flatMap(({ label, spec }) => {
      const needed = neededIndex(spec);
      return needed && !hasIndex(needed) ? [`${label}: ${needed.fields.map(key).join(', ')}`] : [];
    });
    expect(missing).toEqual([]);
  });

  it("has a composite index for every query of the widget on Firebase (the customer's projection, its later rounds)", () => {
    const specs = widgetSpecs();
    expect(specs.every(({ spec }) => neededIndex(spec) !== null)).toBe(true);
    const missing = specs.flatMap(({ label, spec }) => (hasIndex(neededIndex(spec)!) ? [] : [`${label}: ${neededIndex(spec)!.fields.map(key).join(', ')}`]));
    expect(missing).toEqual([]);
  });

  it('holds no index that no query needs', async () => {
    const needed = [...(await catalogueSpecs()), ...(await commandSpecs()), ...widgetSpecs()].flatMap(({ spec }) => neededIndex(spec) ?? []);
    const unused = file.indexes.filter((index) => !needed.some((n) => serves(index, n)));
    expect(unused.map((i) => `${i.collectionGroup}: ${i.fields.map(key).join(', ')}`)).toEqual([]);
  });

  it('knows which queries need one', () => {
    const waiting: QuerySpec = { collection: 'queue' as never, where: [['status', '==', 'waiting'], ['sectorId', 'in', ['a']]], orderBy: [['queuedAt', 'asc']] };
    expect(neededIndex(waiting)?.fields.map(key)).toEqual(['status:ASCENDING', 'sectorId:ASCENDING', 'queuedAt:ASCENDING']);
    expect(neededIndex({ collection: 'counters', where: [['id', 'in', ['a']]], orderBy: [] })).toBeNull();
    expect(neededIndex({ collection: 'sectors', where: [], orderBy: [['name', 'asc']] })).toBeNull();
    expect(neededIndex({ collection: 'contacts', where: [['name', '>=', 'a'], ['name', '<', 'b']], orderBy: [['name', 'asc']] })).toBeNull();
    expect(neededIndex({ collection: 'messages', parentId: 't', where: [['direction', 'in', ['in']]], orderBy: [['createdAt', 'asc']], limitToLast: 5 })?.fields.map(key)).toEqual([
      'direction:ASCENDING',
      'createdAt:DESCENDING',
    ]);
    expect(hasIndex(neededIndex(waiting)!)).toBe(true);
    expect(hasIndex({ ...neededIndex(waiting)!, fields: [{ fieldPath: 'status', order: 'ASCENDING' }, { fieldPath: 'sectorId', order: 'ASCENDING' }, { fieldPath: 'queuedAt', order: 'DESCENDING' }] })).toBe(false);
  });
});
