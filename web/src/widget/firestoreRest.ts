import type { QuerySpec } from '@atende/core';
// Relative, not `@core/`: bench/ and e2e/ load this file (through the console's driver) without that alias.
import { encodeSpec } from '../../../core/src/store/timeCodec.ts';

/**
 * The two reads the widget makes of Firestore, over its REST API
 * (`documents.get`, `documents.runQuery`), with the visitor's ID token: a
 * few hundred bytes instead of the Firestore SDK's ~150 KB. Rules apply as to
 * any client. Documents come back as plain objects (Firestore's typed values
 * decoded); a refusal throws `{code, message}` with Firestore's code in the
 * SDKs' spelling (`permission-denied`, …).
 */
export interface FirestoreReads {
  /** The document at `path` (`customerTickets/T1`), or null. */
  get(path: string): Promise<Record<string, unknown> | null>;
  /** A core query spec (`collection`, sub-collection `parentId`, where, orderBy, limit or limitToLast). */
  query(spec: QuerySpec, collection?: string): Promise<Record<string, unknown>[]>;
}

export interface FirestoreRestOptions {
  projectId: string;
  /** `https://firestore.googleapis.com` (default), or the emulator's `http://host:port`. */
  baseUrl?: string;
  /** The visitor's current ID token (null before sign-in). */
  idToken: () => Promise<string | null>;
  /** Extra headers (App Check). */
  headers?: () => Promise<Record<string, string>>;
  fetch?: typeof fetch;
}

type Value = Record<string, unknown>;

const OPS: Record<string, string> = {
  '==': 'EQUAL',
  '!=': 'NOT_EQUAL',
  '<': 'LESS_THAN',
  '<=': 'LESS_THAN_OR_EQUAL',
  '>': 'GREATER_THAN',
  '>=': 'GREATER_THAN_OR_EQUAL',
  in: 'IN',
  'not-in': 'NOT_IN',
  'array-contains': 'ARRAY_CONTAINS',
  'array-contains-any': 'ARRAY_CONTAINS_ANY',
};

/** A JS value as a Firestore REST `Value`. */
export const encodeValue = (v: unknown): Value => {
  if (v === null || v === undefined) return { nullValue: null };
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { booleanValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { integerValue: String(v) } : { doubleValue: v };
  if (v instanceof Date) return { timestampValue: v.toISOString() };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(encodeValue) } };
  return { mapValue: { fields: Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, encodeValue(x)])) } };
};

/** A Firestore REST `Value` as JS (timestamps as epoch milliseconds, as the model keeps them). */
export const decodeValue = (v: Value): unknown => {
  if ('stringValue' in v) return v.stringValue;
  if ('integerValue' in v) return Number(v.integerValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('booleanValue' in v) return v.booleanValue;
  if ('timestampValue' in v) return Date.parse(v.timestampValue as string);
  if ('arrayValue' in v) return ((v.arrayValue as { values?: Value[] }).values ?? []).map(decodeValue);
  if ('mapValue' in v) return decodeFields((v.mapValue as { fields?: Record<string, Value> }).fields);
  if ('referenceValue' in v) return v.referenceValue;
  if ('bytesValue' in v) return v.bytesValue;
  if ('geoPointValue' in v) return v.geoPointValue;
  return null;
};

export const decodeFields = (fields: Record<string, Value> | undefined): Record<string, unknown> =>
  Object.fromEntries(Object.entries(fields ?? {}).map(([k, x]) => [k, decodeValue(x)]));

/**
 * A REST `StructuredQuery` for a core spec (limitToLast: the order reversed, the page reversed back by the caller).
 * Bounds on time fields go as `timestampValue`, as the stored fields are (core/src/store/timeCodec.ts).
 */
export const structuredQuery = (model: QuerySpec, collection: string): Record<string, unknown> => {
  const spec = encodeSpec(model, (ms) => new Date(ms), collection);
  const last = spec.limitToLast !== undefined;
  const filters = spec.where.map(([field, op, value]) => {
    const fieldOp = OPS[op];
    if (!fieldOp) throw new Error(`operator ${op} is not supported`);
    return { fieldFilter: { field: { fieldPath: field }, op: fieldOp, value: encodeValue(value) } };
  });
  const q: Record<string, unknown> = {
    from: [{ collectionId: collection }],
    orderBy: spec.orderBy.map(([field, dir]) => ({ field: { fieldPath: field }, direction: (dir === 'desc') !== last ? 'DESCENDING' : 'ASCENDING' })),
  };
  if (filters.length === 1) q.where = filters[0];
  else if (filters.length > 1) q.where = { compositeFilter: { op: 'AND', filters } };
  const n = spec.limitToLast ?? spec.limit;
  if (n !== undefined) q.limit = n;
  return q;
};

const codeOf = (status: unknown, http: number): string => {
  if (typeof status === 'string' && status !== '') return status.toLowerCase().replace(/_/g, '-');
  return http === 403 ? 'permission-denied' : http === 401 ? 'unauthenticated' : http === 404 ? 'not-found' : http >= 500 ? 'unavailable' : 'internal';
};

export const createFirestoreRest = (o: FirestoreRestOptions): FirestoreReads => {
  const root = `projects/${o.projectId}/databases/(default)/documents`;
  const base = `${o.baseUrl ?? 'https://firestore.googleapis.com'}/v1/`;
  const request = async (url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> => {
    const token = await o.idToken();
    const headers: Record<string, string> = { ...(await o.headers?.()), ...(init.body ? { 'content-type': 'application/json' } : {}) };
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await (o.fetch ?? fetch)(url, { ...init, headers });
    } catch {
      throw { code: 'unavailable', message: 'network error' };
    }
    const body = (await res.json().catch(() => null)) as unknown;
    if (res.ok || res.status === 404) return { status: res.status, body };
    const err = (Array.isArray(body) ? body[0] : body) as { error?: { status?: unknown; message?: unknown } } | null;
    throw { code: codeOf(err?.error?.status, res.status), message: typeof err?.error?.message === 'string' ? err.error.message : `Firestore answered ${res.status}` };
  };
  return {
    async get(path) {
      const { status, body } = await request(`${base}${root}/${path}`);
      return status === 404 ? null : decodeFields((body as { fields?: Record<string, Value> }).fields);
    },
    async query(spec, collection = spec.collection) {
      const parent = spec.parentId !== undefined ? `${root}/tickets/${spec.parentId}` : root;
      const { status, body } = await request(`${base}${parent}:runQuery`, { method: 'POST', body: JSON.stringify({ structuredQuery: structuredQuery(spec, collection) }) });
      if (status === 404) return [];
      const docs = (body as { document?: { fields?: Record<string, Value> } }[]).flatMap((r) => (r.document ? [decodeFields(r.document.fields)] : []));
      return spec.limitToLast !== undefined ? docs.reverse() : docs;
    },
  };
};
