import type { Database } from 'better-sqlite3';

/** The SQL behind staff sign-in: credentials and sessions. */
export const authStatements = (db: Database) => ({
  credential: db.prepare<[string], { hash: string }>('SELECT hash FROM credentials WHERE uid = ?'),
  setCredential: db.prepare(
    'INSERT INTO credentials (uid, hash, updated_at) VALUES (?, ?, ?) ON CONFLICT (uid) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at',
  ),
  insertSession: db.prepare('INSERT INTO sessions (token_hash, uid, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)'),
  session: db.prepare<[string], { uid: string; expires_at: number; last_seen_at: number }>('SELECT uid, expires_at, last_seen_at FROM sessions WHERE token_hash = ?'),
  touch: db.prepare('UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?'),
  deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
  sessionsOf: db.prepare<[string], { token_hash: string }>('SELECT token_hash FROM sessions WHERE uid = ?'),
  deleteExpired: db.prepare('DELETE FROM sessions WHERE expires_at < ?'),
  userByEmail: db.prepare<[string], { data: string }>("SELECT data FROM users WHERE json_extract(data, '$.email') = ?"),
});

export type AuthStatements = ReturnType<typeof authStatements>;
