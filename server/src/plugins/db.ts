import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import fp from 'fastify-plugin';
import { createIdGenerator, type Clock } from '@atende/core';
import { migrate } from '../db/migrate.ts';
import { SqliteStore } from '../db/store.ts';
import { startCheckpointer } from '../db/checkpointer.ts';

export interface DbOptions {
  dataDir: string;
  clock: Clock;
}

/** Opens `DATA_DIR/atende.db` (WAL), applies migrations, and exposes the Store port. */
export default fp<DbOptions>(
  async (app, opts) => {
    mkdirSync(opts.dataDir, { recursive: true });
    const db = new Sqlite(join(opts.dataDir, 'atende.db'));
    // WAL + NORMAL: a committed transaction survives a process crash (kill -9); only an OS crash may lose the last ones.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const ran = migrate(db);
    if (ran.length > 0) app.log.info({ migrations: ran }, 'database migrated');
    const checkpointer = startCheckpointer(db, { warn: (message) => app.log.warn(message) });
    const store = new SqliteStore(db, (report) => app.log.error({ document: report.path, issues: report.issues }, 'malformed document'));
    const newId = createIdGenerator(opts.clock);
    app.decorate('db', db);
    app.decorate('store', store);
    app.decorate('clock', opts.clock);
    app.decorate('newId', newId);
    app.decorate('deps', { store, clock: opts.clock, newId });
    app.addHook('onClose', async () => {
      await store.close();
      await checkpointer.stop();
      store.closeReads();
      db.close();
    });
  },
  { name: 'db' },
);
