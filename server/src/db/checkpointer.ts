import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';

/**
 * WAL checkpoints off the event loop. With SQLite's automatic checkpoint, the
 * COMMIT that crosses 1000 WAL pages copies them into the database file and
 * waits for two fsyncs, on the thread that serves every request: under a
 * steady ingest that was the largest single item of a profile (issue 11).
 * Here the committing connection never checkpoints; a worker thread with its
 * own connection runs `wal_checkpoint(PASSIVE)` every `intervalMs` (which
 * never blocks the writer, and does nothing when nothing is new). If the
 * worker dies, the main connection checkpoints by itself again.
 *
 * SQLite starts the WAL over only after a checkpoint has copied every frame,
 * and PASSIVE ones never catch up with a writer that commits every few
 * milliseconds: under a sustained ingest the WAL grew for as long as the load
 * lasted (517 MB in the bench's 75 s). So when the WAL is past
 * `walLimitPages` after a pass, the worker copies the rest at once with a
 * RESTART checkpoint, which holds writers back only for that tail (the pass
 * just copied the rest) and gives up after 50 ms if a reader stays; the next
 * commit then starts the WAL over, and `journal_size_limit` trims the file.
 */
export interface Checkpointer {
  /** Stops the worker after a last checkpoint. */
  stop(): Promise<void>;
  /** Ends the worker abruptly, as a crash would (tests). */
  terminate(): Promise<void>;
}

export interface CheckpointerOptions {
  intervalMs?: number;
  warn?: (message: string) => void;
  /** Past this many WAL pages (default 8,192: 32 MB of 4 KB pages), a pass that fell behind restarts the WAL. */
  walLimitPages?: number;
  /** Each checkpoint that found frames to copy: WAL frames, and how many of them are now in the database file. */
  onCheckpoint?: (result: { log: number; checkpointed: number; restarted?: boolean }) => void;
}

// A script, not a module file: it runs the same under tsx, Vitest and a bundler.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
let seen = -1;
const tick = () => {
  try {
    // data_version moves when another connection commits: nothing new, nothing to do.
    const version = db.pragma('data_version', { simple: true });
    if (version === seen) return;
    seen = version;
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r && r.log > 0) parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed });
    // Frames a reader still needed stay for the next round.
    if (r && r.checkpointed < r.log) seen = -1;
    // The pass copied what was there when it began, and the writer kept adding: a WAL this long is not
    // starting over by itself.
    if (r && r.log >= workerData.walLimitPages) restart();
  } catch (error) {
    seen = -1;
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
};
// The tail a busy writer left: copied while writers wait, then the next commit starts the WAL over.
const restart = () => {
  db.pragma('busy_timeout = 50');
  try {
    const [r] = db.pragma('wal_checkpoint(RESTART)');
    if (r && r.busy === 0) parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed, restarted: true });
  } finally {
    db.pragma('busy_timeout = 5000');
  }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  tick();
  db.close();
  parentPort.close();
});
`;

export const startCheckpointer = (db: Database, options: CheckpointerOptions = {}): Checkpointer => {
  if (db.memory) return { stop: async () => undefined, terminate: async () => undefined };
  const file = db.name;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  db.pragma('wal_autocheckpoint = 0');
  const walLimitPages = options.walLimitPages ?? 8192;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.pragma(`journal_size_limit = ${walLimitPages * pageSize}`);
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver, intervalMs: options.intervalMs ?? 250, walLimitPages } });
  worker.unref();
  let stopping = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const fallBack = (why: string) => {
    if (stopping || !db.open) return;
    options.warn?.(`WAL checkpointer stopped (${why}): checkpointing on the main connection again`);
    db.pragma('wal_autocheckpoint = 1000');
  };
  worker.on('message', (m: { error?: string; log?: number; checkpointed?: number; restarted?: boolean }) => {
    if (m.error) options.warn?.(`WAL checkpoint failed: ${m.error}`);
    else if (m.log !== undefined) options.onCheckpoint?.({ log: m.log, checkpointed: m.checkpointed ?? 0, ...(m.restarted && { restarted: true }) });
  });
  worker.on('error', (e) => fallBack(e.message));
  void exited.then(() => fallBack('exited'));
  return {
    async stop() {
      if (stopping) return exited;
      stopping = true;
      worker.postMessage('stop');
      const timer = setTimeout(() => void worker.terminate(), 5000);
      await exited;
      clearTimeout(timer);
    },
    async terminate() {
      await worker.terminate();
      await exited;
    },
  };
};
