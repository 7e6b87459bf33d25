import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Timestamp, type Firestore, type Query, type WhereFilterOp } from 'firebase-admin/firestore';

/**
 * Firestore's REST API (`documents.get`, `documents:runQuery`) in front of
 * @firestore-emulator/server, which speaks only gRPC: requests are answered
 * with the admin SDK on the same emulator, in the REST API's JSON (typed
 * `Value`s, `{document, readTime}` rows). The widget's Firebase transport
 * reads Firestore this way. No rules here (the emulator has none): a
 * request's `Authorization` is recorded, not checked.
 */
export interface FirestoreRestServer {
  url: string;
  /** Every request: method, path, bearer token. */
  requests: { method: string; path: string; token: string | null }[];
  close(): Promise<void>;
}

type Value = Record<string, unknown>;

const OPS: Record<string, WhereFilterOp> = {
  EQUAL: '==',
  NOT_EQUAL: '!=',
  LESS_THAN: '<',
  LESS_THAN_OR_EQUAL: '<=',
  GREATER_THAN: '>',
  GREATER_THAN_OR_EQUAL: '>=',
  IN: 'in',
  NOT_IN: 'not-in',
  ARRAY_CONTAINS: 'array-contains',
  ARRAY_CONTAINS_ANY: 'array-contains-any',
};

const fromValue = (v: Value): unknown => {
  if ('stringValue' in v) return v.stringValue;
  if ('integerValue' in v) return Number(v.integerValue);
  if ('doubleValue' in v) return v.doubleValue;
  if ('booleanValue' in v) return v.booleanValue;
  if ('nullValue' in v) return null;
  if ('timestampValue' in v) return Timestamp.fromDate(new Date(v.timestampValue as string));
  if ('arrayValue' in v) return ((v.arrayValue as { values?: Value[] }).values ?? []).map(fromValue);
  if ('mapValue' in v) return Object.fromEntries(Object.entries((v.mapValue as { fields?: Record<string, Value> }).fields ?? {}).map(([k, x]) => [k, fromValue(x)]));
  throw new Error(`value ${JSON.stringify(v)} is not supported here`);
};

const toValue = (x: unknown): Value => {
  if (x === null || x === undefined) return { nullValue: null };
  if (typeof x === 'string') return { stringValue: x };
  if (typeof x === 'boolean') return { booleanValue: x };
  if (typeof x === 'number') return Number.isInteger(x) ? { integerValue: String(x) } : { doubleValue: x };
  if (Array.isArray(x)) return { arrayValue: { values: x.map(toValue) } };
  if (typeof (x as { toDate?: unknown }).toDate === 'function') return { timestampValue: (x as { toDate(): Date }).toDate().toISOString() };
  return { mapValue: { fields: Object.fromEntries(Object.entries(x as object).map(([k, v]) => [k, toValue(v)])) } };
};

const body = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });

interface FieldFilter {
  field: { fieldPath: string };
  op: string;
  value: Value;
}
interface StructuredQuery {
  from: { collectionId: string }[];
  where?: { fieldFilter?: FieldFilter; compositeFilter?: { op: string; filters: { fieldFilter: FieldFilter }[] } };
  orderBy?: { field: { fieldPath: string }; direction?: string }[];
  limit?: number | { value: number };
}

export const startFirestoreRest = async (db: Firestore, projectId: string): Promise<FirestoreRestServer> => {
  const root = `projects/${projectId}/databases/(default)/documents`;
  const requests: FirestoreRestServer['requests'] = [];
  const docJson = (path: string, data: Record<string, unknown>) => ({
    name: `${root}/${path}`,
    fields: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, toValue(v)])),
  });
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const auth = req.headers.authorization;
      requests.push({ method: req.method ?? '', path: url.pathname, token: auth?.startsWith('Bearer ') ? auth.slice(7) : null });
      const prefix = `/v1/${root}`;
      if (!url.pathname.startsWith(prefix)) throw Object.assign(new Error(`no such resource ${url.pathname}`), { http: 404, status: 'NOT_FOUND' });
      const rest = decodeURIComponent(url.pathname.slice(prefix.length)).replace(/^\//, '');
      if (req.method === 'GET') {
        const snap = await db.doc(rest).get();
        if (!snap.exists) throw Object.assign(new Error(`Document ${root}/${rest} not found`), { http: 404, status: 'NOT_FOUND' });
        return [200, docJson(rest, snap.data()!)] as const;
      }
      if (req.method === 'POST' && rest.endsWith(':runQuery')) {
        const parent = rest.slice(0, -':runQuery'.length);
        const { structuredQuery: sq } = JSON.parse(await body(req)) as { structuredQuery: StructuredQuery };
        const collection = sq.from[0]!.collectionId;
        let q: Query = db.collection(parent ? `${parent}/${collection}` : collection);
        const filters = sq.where?.compositeFilter?.filters.map((f) => f.fieldFilter) ?? (sq.where?.fieldFilter ? [sq.where.fieldFilter] : []);
        for (const f of filters) {
          const op = OPS[f.op];
          if (!op) throw Object.assign(new Error(`operator ${f.op}`), { http: 400, status: 'INVALID_ARGUMENT' });
          q = q.where(f.field.fieldPath, op, fromValue(f.value));
        }
        for (const o of sq.orderBy ?? []) q = q.orderBy(o.field.fieldPath, o.direction === 'DESCENDING' ? 'desc' : 'asc');
        const limit = typeof sq.limit === 'object' ? sq.limit.value : sq.limit;
        if (limit !== undefined) q = q.limit(limit);
        const snap = await q.get();
        const readTime = new Date().toISOString();
        const rows = snap.docs.map((d) => ({ document: docJson(d.ref.path, d.data()), readTime }));
        return [200, rows.length > 0 ? rows : [{ readTime }]] as const;
      }
      throw Object.assign(new Error(`${req.method} ${url.pathname}`), { http: 400, status: 'INVALID_ARGUMENT' });
    })().then(
      ([status, json]) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json)),
      (e: Error & { http?: number; status?: string }) =>
        res.writeHead(e.http ?? 500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: e.http ?? 500, status: e.status ?? 'INTERNAL', message: e.message } })),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
};
