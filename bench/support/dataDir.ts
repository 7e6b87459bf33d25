import { readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export const findDatabase = (dir: string): string => {
  const file = readdirSync(dir).find((f) => /\.(db|sqlite|sqlite3)$/.test(f));
  if (!file) throw new Error(`no SQLite file in ${dir}`);
  return path.join(dir, file);
};

/** Counts stored messages straight from the SQLite file (read-only, beside the running server: WAL allows it). */
export const countMessages = (dataDir: string): number => {
  const db = new Database(findDatabase(dataDir), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
  } finally {
    db.close();
  }
};
