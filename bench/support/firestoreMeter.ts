/**
 * The server side of bench/firestore.ts's count: what the functions' transactions
 * read and write on @firestore-emulator/server, by wrapping its gRPC handlers.
 */
type Handler = { func: (call: never, callback?: never) => void };

/** `projects/p/databases/(default)/documents/tickets/T1/messages/M1` → `messages`; a sharded `counters/x~3` → `counters`. */
const collectionOf = (name: string): string => {
  const parts = name.split('/documents/')[1]?.split('/') ?? [];
  return parts[parts.length - 2] ?? '?';
};

/**
 * Wraps the emulator's read and commit handlers so every billable document is counted while `on`: reads, writes (set,
 * update, create, transform) and deletes, which Firestore bills as a SKU of their own (a delete of nothing included).
 *
 * `deleted(path)` says whether a document's last committed write, metered or not, was a delete: a listener that hears
 * such a document leave its results is not billed for it (Firestore bills a removal only when the document changed out
 * of the query), and only the commit tells the two apart.
 */
export const meterServer = (server: unknown) => {
  const gone = new Set<string>();
  const m = {
    on: false,
    reads: 0,
    writes: 0,
    deletes: 0,
    readsBy: {} as Record<string, number>,
    writesBy: {} as Record<string, number>,
    deletesBy: {} as Record<string, number>,
    /** `tickets/T1`, `queue/T1`: the document's last commit deleted it. */
    deleted: (path: string) => gone.has(path),
  };
  const add = (by: Record<string, number>, key: string, n = 1) => (by[key] = (by[key] ?? 0) + n);
  const handlers = (server as { server: { handlers: Map<string, Handler> } }).server.handlers;
  const wrap = (name: string, f: (orig: Handler['func']) => Handler['func']) => {
    const h = handlers.get(`/google.firestore.v1.Firestore/${name}`);
    if (!h) throw new Error(`the Firestore emulator has no ${name} handler`);
    h.func = f(h.func.bind(h));
  };
  wrap('BatchGetDocuments', (orig) => ((call: { request: { documents: string[] } }) => {
    if (m.on) {
      m.reads += call.request.documents.length;
      for (const d of call.request.documents) add(m.readsBy, collectionOf(d));
    }
    orig(call as never);
  }) as never);
  wrap('RunQuery', (orig) => ((call: { request: { structured_query?: { from?: { collection_id?: string }[] } }; write(v: { has_document?: boolean; document?: unknown }): void; end(): void }) => {
    let docs = 0;
    const from = `query ${call.request.structured_query?.from?.[0]?.collection_id ?? '?'}`;
    const write = call.write.bind(call);
    const end = call.end.bind(call);
    call.write = (v) => {
      if (v.has_document ?? v.document) docs++;
      write(v);
    };
    call.end = () => {
      if (m.on) {
        m.reads += Math.max(1, docs);
        add(m.readsBy, from, Math.max(1, docs));
      }
      end();
    };
    orig(call as never);
  }) as never);
  wrap('Commit', (orig) => ((call: { request: { writes: { has_update?: boolean; update?: { name: string }; has_delete?: boolean; delete?: string; transform?: { document?: string } }[] } }, callback: never) => {
    const isDelete = (w: (typeof call.request.writes)[number]) => w.has_delete ?? Boolean(w.delete);
    if (m.on) {
      if (process.env.BENCH_TRACE) console.log(`[commit] ${call.request.writes.map((w) => `${isDelete(w) ? '-' : ''}${(w.update?.name || w.delete || w.transform?.document || '').split('/documents/')[1]}`).join(' ')}`);
      for (const w of call.request.writes) {
        const name = w.update?.name || w.delete || w.transform?.document || '';
        if (isDelete(w)) {
          m.deletes++;
          add(m.deletesBy, collectionOf(name));
        } else {
          m.writes++;
          add(m.writesBy, collectionOf(name));
        }
      }
    }
    // What each document's last write was, once the commit has succeeded.
    const done = ((err: unknown, ...rest: unknown[]) => {
      if (!err)
        for (const w of call.request.writes) {
          const path = (w.update?.name || w.delete || w.transform?.document || '').split('/documents/')[1] ?? '';
          if (isDelete(w)) gone.add(path);
          else gone.delete(path);
        }
      (callback as unknown as (...a: unknown[]) => void)(err, ...rest);
    }) as never;
    orig(call as never, done);
  }) as never);
  return m;
};
