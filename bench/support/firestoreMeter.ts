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

/** Wraps the emulator's read and commit handlers so every billable document is counted while `on`. */
export const meterServer = (server: unknown) => {
  const m = { on: false, reads: 0, writes: 0, readsBy: {} as Record<string, number>, writesBy: {} as Record<string, number> };
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
  wrap('Commit', (orig) => ((call: { request: { writes: { has_update?: boolean; update?: { name: string }; delete?: string; transform?: { document?: string } }[] } }, callback: never) => {
    if (m.on) {
      if (process.env.BENCH_TRACE) console.log(`[commit] ${call.request.writes.map((w) => (w.update?.name || w.delete || w.transform?.document || '').split('/documents/')[1]).join(' ')}`);
      m.writes += call.request.writes.length;
      for (const w of call.request.writes) add(m.writesBy, collectionOf(w.update?.name || w.delete || w.transform?.document || ''));
    }
    orig(call as never, callback);
  }) as never);
  return m;
};
